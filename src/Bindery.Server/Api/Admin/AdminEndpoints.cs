using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Admin;

public static class AdminEndpoints
{
    public static void MapAdminEndpoints(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("Tokens");
        tokens.MapPost("/", async (TokenInput body, HttpContext http, CancellationToken ct) =>
        {
            var (command, errors) = MintToken.From(body);
            return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
        }).WithName("MintToken").WithSummary("Mint a bearer token (admin). The secret is in the answer only.")
            .Produces<MintedToken>(201).ProducesProblem(400).ProducesProblem(403);
        tokens.MapGet("/", async (HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            if (!http.Principal().IsAdmin)
            {
                return Outcome.Problem(Problems.Forbidden(http.Lang()));
            }
            var rows = await db.Tokens.AsNoTracking().OrderBy(t => t.CreatedAt).ToListAsync(ct);
            return Outcome.Ok(rows.Select(TokenView.From).ToArray());
        }).WithName("ListTokens").WithSummary("Tokens without their secrets (admin).").Produces<TokenView[]>();
        tokens.MapDelete("/{id}", (string id, HttpContext http, CancellationToken ct) => http.Write(new RevokeToken(id), ct))
            .WithName("RevokeToken").WithSummary("Revoke a token (admin).").Produces<TokenView>().ProducesProblem(404);

        var policies = api.MapGroup("/policies").WithTags("Policies");
        policies.MapGet("/", (PolicyCatalog catalog) => Outcome.Ok(catalog.All.Select(PolicyView.From).ToArray()))
            .WithName("ListPolicies").WithSummary("Every loaded policy.").Produces<PolicyView[]>();
        policies.MapGet("/{id}", (string id, string? format, HttpContext http, PolicyCatalog catalog) =>
        {
            if (!catalog.TryGet(id, out var policy))
            {
                return http.NotFound("policy");
            }
            return format == "source" ? Results.Text(catalog.Source(id), "application/json") : Outcome.Ok(PolicyView.From(policy));
        }).WithName("GetPolicy").WithSummary("One policy; format=source gives the file as written.").Produces<PolicyView>().ProducesProblem(404);
    }
}

/// <summary>A policy as the API shows it: every value, durations in ISO 8601.</summary>
public sealed record PolicyView(
    string Id, int Version, string Name,
    IReadOnlyDictionary<string, object> Roles,
    IReadOnlyDictionary<string, RoleLimitsView> Capacity,
    IReadOnlyDictionary<string, RoleLimitsView> Probation,
    object Eligibility,
    object Invitation, object Unbind, object ChannelBinds, object UnlinkRequest)
{
    public static PolicyView From(Policy p) => new(
        p.Id, p.Version, p.Name,
        new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["official"] = new { productsSyncAutomatically = p.Official.ProductsSyncAutomatically, mayAddProductsByHand = p.Official.MayAddProductsByHand },
            ["channel"] = new { productsSyncAutomatically = p.Channel.ProductsSyncAutomatically, mayAddProductsByHand = p.Channel.MayAddProductsByHand },
        },
        new Dictionary<string, RoleLimitsView>(StringComparer.Ordinal) { ["regular"] = new(p.RegularCapacity), ["invited"] = new(p.InvitedCapacity) },
        new Dictionary<string, RoleLimitsView>(StringComparer.Ordinal) { ["individual"] = new(p.ProbationIndividual), ["business"] = new(p.ProbationBusiness) },
        new
        {
            minimumAge = p.MinimumAge,
            accountCountryMustMatchShop = p.AccountCountryMustMatchShop,
            callerCountryCheckedOn = p.CallerCountryCheckedOn.Select(Wire.Name).Order(StringComparer.Ordinal).ToArray(),
            supportCannotFixRegistrationCountries = p.SupportCannotFixRegistrationCountries.Order(StringComparer.Ordinal).ToArray(),
            allowedOrigins = p.AllowedOrigins?.Select(Wire.Name).Order(StringComparer.Ordinal).ToArray(),
        },
        new { expiresAfter = IsoDuration.Format(p.InvitationTtl) },
        new { minimumActiveDuration = IsoDuration.Format(p.MinimumActiveBeforeUnbind), officialUnbindsPerLifetime = p.OfficialUnbindsPerLifetime },
        new { limit = p.ChannelBindLimit, window = IsoDuration.Format(p.ChannelBindWindow) },
        new { autoApproveAfter = IsoDuration.Format(p.UnlinkAutoApproveAfter) });
}

public sealed record RoleLimitsView(int Official, int Channel)
{
    public RoleLimitsView(RoleLimits l) : this(l.Official, l.Channel)
    {
    }
}

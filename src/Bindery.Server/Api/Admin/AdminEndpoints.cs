using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Admin;
using Bindery.Server.Http;
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
        }).Requires(Callers.Admin).WithName("MintToken").WithSummary("Mint a bearer token (admin). The secret is in the answer only.")
            .Produces<MintedToken>(201).ProducesProblem(400).ProducesProblem(403);
        tokens.MapGet("/", async (HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            if (!http.Principal().IsAdmin)
            {
                return Result.Forbidden().ToHttp();
            }
            var rows = await db.Tokens.AsNoTracking().OrderBy(t => t.CreatedAt).ToListAsync(ct);
            return Result.Ok(rows.Select(TokenView.From).ToArray()).ToHttp();
        }).Requires(Callers.Admin).WithName("ListTokens").WithSummary("Tokens without their secrets (admin).").Produces<TokenView[]>();
        tokens.MapDelete("/{id}", (string id, HttpContext http, CancellationToken ct) => http.Write(new RevokeToken(id), ct))
            .Requires(Callers.Admin).WithName("RevokeToken").WithSummary("Revoke a token (admin).").Produces<TokenView>().ProducesProblem(404);

        var policies = api.MapGroup("/policies").WithTags("Policies");
        policies.MapGet("/", (PolicyCatalog catalog) => Result.Ok(catalog.All.Select(PolicyView.From).ToArray()).ToHttp())
            .Requires(Callers.Anyone).WithName("ListPolicies").WithSummary("Every loaded policy.").Produces<PolicyView[]>();
        policies.MapGet("/{id}", (string id, string? format, HttpContext http, PolicyCatalog catalog) =>
        {
            if (!catalog.TryGet(id, out var policy))
            {
                return http.NotFound("policy");
            }
            return format == "source" ? Results.Text(catalog.Source(id), "application/json") : Result.Ok(PolicyView.From(policy)).ToHttp();
        }).Requires(Callers.Anyone).WithName("GetPolicy").WithSummary("One policy; format=source gives the file as written.").Produces<PolicyView>().ProducesProblem(404);
    }
}

/// <summary>A policy as the API shows it: every value, durations in ISO 8601, null = no limit or not used.</summary>
public sealed record PolicyView(
    string Id, int Version, string Name,
    IReadOnlyDictionary<string, RoleView> Roles,
    IReadOnlyDictionary<string, RoleLimitsView> Capacity,
    IReadOnlyDictionary<string, RoleLimitsView>? Probation,
    object Eligibility,
    object Invitation, object Unbind, object? ChannelBinds, object UnlinkRequest,
    IReadOnlyDictionary<string, string> RuleIds,
    object? Closure, object? AccountDeletion, object? EnterpriseUpgrade, object? Settlement, object? MainAccount, object? UnbindApplication)
{
    private static string[] Names<T>(IEnumerable<T> values) where T : struct, Enum => values.Select(Wire.Name).Order(StringComparer.Ordinal).ToArray();

    public static PolicyView From(Policy p)
    {
        var roles = new Dictionary<string, RoleView>(StringComparer.Ordinal)
        {
            ["official"] = RoleView.From(p, BindingRole.Official),
            ["channel"] = RoleView.From(p, BindingRole.Channel),
        };
        if (p.Showcase is not null)
        {
            roles["showcase"] = RoleView.From(p, BindingRole.Showcase);
        }
        var a = p.UnbindApplication;
        return new(
            p.Id, p.Version, p.Name, roles,
            new Dictionary<string, RoleLimitsView>(StringComparer.Ordinal) { ["regular"] = new(p.RegularCapacity), ["invited"] = new(p.InvitedCapacity) },
            p.ProbationIndividual is null || p.ProbationBusiness is null ? null
                : new Dictionary<string, RoleLimitsView>(StringComparer.Ordinal) { ["individual"] = new(p.ProbationIndividual), ["business"] = new(p.ProbationBusiness) },
            new
            {
                minimumAge = p.MinimumAge,
                accountCountryMustMatchShop = p.AccountCountryMustMatchShop,
                callerCountryCheckedOn = Names(p.CallerCountryCheckedOn),
                supportCannotFixRegistrationCountries = p.SupportCannotFixRegistrationCountries.Order(StringComparer.Ordinal).ToArray(),
                allowedOrigins = p.AllowedOrigins is null ? null : Names(p.AllowedOrigins),
                formalPaymentAccountBlocksOfficial = p.FormalPaymentAccountBlocksOfficial,
            },
            new { expiresAfter = IsoDuration.Format(p.InvitationTtl) },
            new { minimumActiveDuration = IsoDuration.Format(p.MinimumActiveBeforeUnbind), officialUnbindsPerLifetime = p.OfficialUnbindsPerLifetime },
            p.ChannelBindLimit is null && p.ChannelBindWindow == TimeSpan.Zero ? null : new { limit = p.ChannelBindLimit, window = IsoDuration.Format(p.ChannelBindWindow) },
            new { autoApproveAfter = IsoDuration.Format(p.UnlinkAutoApproveAfter) },
            p.RuleIds,
            p.Closure is null ? null : new { noticePeriod = IsoDuration.Format(p.Closure.NoticePeriod) },
            p.AccountDeletion is null ? null : new { bindingsEndAfter = IsoDuration.Format(p.AccountDeletion.BindingsEndAfter) },
            p.EnterpriseUpgrade is null ? null : new { shopKinds = Names(p.EnterpriseUpgrade.ShopKinds), accountTypes = Names(p.EnterpriseUpgrade.AccountTypes) },
            p.Settlement is null ? null : new
            {
                officialSharesPaymentAccount = p.Settlement.OfficialSharesPaymentAccount,
                zeroCommissionRoles = Names(p.Settlement.ZeroCommissionRoles),
            },
            p.MainAccount is not { } m ? null : new
            {
                codeLength = m.CodeLength,
                codeValidFor = IsoDuration.Format(m.CodeValidFor),
                changeWindow = IsoDuration.Format(m.ChangeWindow),
                maxWrongCodes = m.MaxWrongCodes,
                lockFor = IsoDuration.Format(m.LockFor),
                rebindWaitingPeriod = IsoDuration.Format(m.RebindWaitingPeriod),
                maxChanges = m.MaxChanges,
                changePeriod = IsoDuration.Format(m.ChangePeriod),
            },
            a is null ? null : new
            {
                reviewBusinessDays = new { min = a.ReviewMinBusinessDays, max = a.ReviewMaxBusinessDays },
                calendar = new
                {
                    utcOffset = (a.Calendar.UtcOffset < TimeSpan.Zero ? "-" : "+") + a.Calendar.UtcOffset.ToString(@"hh\:mm", System.Globalization.CultureInfo.InvariantCulture),
                    holidays = a.Calendar.Holidays.Order().Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                    extraWorkdays = a.Calendar.ExtraWorkdays.Order().Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                },
                evidence = new
                {
                    maxBytes = a.Evidence.MaxBytes,
                    maxFiles = a.Evidence.MaxFiles,
                    contentTypes = a.Evidence.ContentTypes.Order(StringComparer.Ordinal).ToArray(),
                    kinds = a.Evidence.Kinds.Order(StringComparer.Ordinal).ToArray(),
                },
                reasons = a.Reasons.Select(r => new
                {
                    code = r.Code, en = r.En, zh = r.Zh, requiredEvidence = r.RequiredEvidence.Order(StringComparer.Ordinal).ToArray(), requiresText = r.RequiresText,
                }).ToArray(),
            })
        {
            Support = p.Support is not { } s ? null
                : new { responseTarget = IsoDuration.Format(s.ResponseTarget), merchantReplyTarget = IsoDuration.Format(s.MerchantReplyTarget) },
        };
    }

    /// <summary>X-3 / Z-1: the support response targets; null = the policy offers no support tickets.</summary>
    public object? Support { get; init; }
}

public sealed record RoleView(bool ProductsSyncAutomatically, bool MayAddProductsByHand, string Unbind, string MinimumActiveDuration)
{
    public static RoleView From(Policy p, BindingRole role)
    {
        var t = p.Traits(role);
        return new(t.ProductsSyncAutomatically, t.MayAddProductsByHand, Wire.Name(t.Unbind), IsoDuration.Format(p.MinimumActive(role)));
    }
}

public sealed record RoleLimitsView(int Official, int Channel, int? Showcase)
{
    public RoleLimitsView(RoleLimits l) : this(l.Official, l.Channel, l.Showcase)
    {
    }
}

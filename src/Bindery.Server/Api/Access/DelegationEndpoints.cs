using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Access;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Api.Access;

public static class DelegationEndpoints
{
    public static void MapDelegationEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Delegations");

        g.MapPost("/delegations", async (DelegationInput body, HttpContext http, IOptions<BinderyOptions> options, CancellationToken ct) =>
        {
            var (command, errors) = AuthorizeDelegation.From(body, options.Value.Delegation.FinanceDelegable, http.Lang());
            return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
        }).Requires(Callers.Merchant | Callers.Creator, Permission.Owner)
            .WithName("AuthorizeDelegation")
            .WithSummary("A main account authorizes a sub account with permissions; both must be certified enterprise accounts in normal status (DY-D1, DY-D2, DY-D4).")
            .Produces<DelegationView>(201).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        g.MapGet("/delegations/{id}", async (string id, HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            var row = await db.Delegations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);
            var p = http.Principal();
            if (row is null || !(await DelegationAccess.Sees(db, p, row.MainAccountId, ct) || await DelegationAccess.Sees(db, p, row.SubAccountId, ct)))
            {
                return http.NotFound("delegation");
            }
            return Result.Ok(DelegationView.From(row)).ToHttp();
        }).Requires(Callers.Merchant | Callers.Creator | Callers.Support, Permission.Owner)
            .WithName("GetDelegation").WithSummary("One authorization, live or revoked.").Produces<DelegationView>().ProducesProblem(404);

        g.MapGet("/accounts/{id}/delegations", async (string id, HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            if (!await DelegationAccess.Sees(db, http.Principal(), id, ct) || !await db.Accounts.AnyAsync(a => a.Id == id, ct))
            {
                return http.NotFound("account");
            }
            var rows = await db.Delegations.AsNoTracking().Where(d => d.MainAccountId == id || d.SubAccountId == id)
                .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToListAsync(ct);
            return Result.Ok(new AccountDelegationsView(id,
                rows.Where(d => d.MainAccountId == id).Select(DelegationView.From).ToArray(),
                rows.Where(d => d.SubAccountId == id).Select(DelegationView.From).ToArray())).ToHttp();
        }).Requires(Callers.Merchant | Callers.Creator | Callers.Support, Permission.Owner)
            .WithName("ListAccountDelegations")
            .WithSummary("The authorizations an account gave (as main) and holds (as sub), live and revoked (DY-D2).")
            .Produces<AccountDelegationsView>().ProducesProblem(404);

        g.MapPost("/delegations/{id}/revoke", (string id, RevokeDelegationInput? body, HttpContext http, CancellationToken ct) =>
        {
            if (body?.Reason is { Length: > 500 })
            {
                return Task.FromResult(http.Invalid("reason", "at most 500 characters"));
            }
            return http.Write(new RevokeDelegation(id, body?.Reason), ct);
        }).Requires(Callers.Support)
            .WithName("RevokeDelegation").WithSummary("Support staff revoke an authorization; it works until then, whatever the certification does (DY-D3).")
            .Produces<DelegationView>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
    }
}

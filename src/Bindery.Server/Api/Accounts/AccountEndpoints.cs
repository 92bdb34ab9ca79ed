using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Accounts;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Accounts;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/accounts").WithTags("Accounts");

        g.MapPost("/", async (AccountInput body, HttpContext http, TimeProvider clock, CancellationToken ct) =>
        {
            var (command, errors) = CreateAccount.From(body, clock.GetUtcNow());
            return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
        }).Requires(Callers.Admin).WithName("CreateAccount").WithSummary("Register a creator account (admin).").Produces<AccountView>(201).ProducesProblem(400).ProducesProblem(409);

        g.MapGet("/{id}", async (string id, HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            var account = await AccountQueries.VisibleToShopToo(http.Reader(), id, ct);
            return account is null ? http.NotFound("account") : Result.Ok(AccountView.From(account)).ToHttp();
        }).Requires(Callers.Merchant | Callers.Creator | Callers.Reviewer | Callers.Support, Permission.BindingsView).WithName("GetAccount").WithSummary("An account (admin, its creator, or a shop it is or was bound to or invited by).").Produces<AccountView>().ProducesProblem(404);

        g.MapPatch("/{id}", async (string id, AccountPatch body, HttpContext http, TimeProvider clock, CancellationToken ct) =>
        {
            var (command, errors) = UpdateAccount.From(id, body, clock.GetUtcNow());
            return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
        }).Requires(Callers.Support).WithName("UpdateAccount")
            .WithSummary("Change status or correct registration country / birth date (admin); deleting goes through POST /accounts/{id}/deletion (409 use_lifecycle_endpoint, DY-L2).")
            .Produces<AccountView>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        g.MapGet("/{id}/inbox", async (string id, HttpContext http, CancellationToken ct) => (await AccountQueries.GetInbox(id, http.Reader(), ct)).ToHttp()).Requires(Callers.Creator).WithName("GetAccountInbox").WithSummary("Pending items of the account with who must act and by when (Z-1).")
            .Produces<InboxView>().ProducesProblem(404);

        g.MapGet("/{id}/history", async (string id, long? after, int? limit, string? format, HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            await http.Settle(ct);
            if (await AccountQueries.Visible(http.Reader(), id, ct) is null)
            {
                return http.NotFound("account");
            }
            return await HistoryResult.Answer(http, db, null, id, after, limit, format, ct);
        }).Requires(Callers.Creator | Callers.Reviewer | Callers.Support).WithName("GetAccountHistory").WithSummary("The account's history, oldest first; format=csv exports it (X-1).")
            .Produces<Page<HistoryView>>().ProducesProblem(404);

        g.MapGet("/{id}/bindings", async (string id, HttpContext http, CancellationToken ct) => (await AccountQueries.ListBindings(id, http.Reader(), ct)).ToHttp()).Requires(Callers.Creator | Callers.Reviewer | Callers.Support).WithName("ListAccountBindings").WithSummary("Every binding and invitation of the account, newest first.")
            .Produces<BindingView[]>().ProducesProblem(404);

        g.MapGet("/{id}/binding", async (string id, string? asOf, HttpContext http, BinderyDb db, TimeProvider clock, CancellationToken ct) =>
        {
            await http.Settle(ct);
            if (await AccountQueries.Visible(http.Reader(), id, ct) is null)
            {
                return http.NotFound("account");
            }
            var errors = new FieldErrors();
            var at = asOf is null ? clock.GetUtcNow() : errors.Instant("asOf", asOf);
            if (errors.Any || at is null)
            {
                return errors.Problem(http.Lang());
            }
            var t = at.Value;
            // bound during [activatedAt, endedAt): half-open, so at the instant of an unbind the account is free.
            var b = await db.Bindings.AsNoTracking()
                .Where(x => x.AccountId == id && x.ActivatedAt != null && x.ActivatedAt <= t && (x.EndedAt == null || x.EndedAt > t))
                .SingleOrDefaultAsync(ct);
            return Result.Ok(new AsOfView(id, t, b is null ? null : new AsOfBinding(b.Id, b.ShopId, Wire.Name(b.Role), b.ActivatedAt!.Value, b.EndedAt))).ToHttp();
        }).Requires(Callers.Creator | Callers.Reviewer | Callers.Support).WithName("GetAccountBindingAsOf").WithSummary("Which shop the account was bound to, in which role, at an instant (X-6).")
            .Produces<AsOfView>().ProducesProblem(400).ProducesProblem(404);
    }
}

using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Inbox;
using Bindery.Server.Features.Invitations;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Invitations;

public sealed record SwapInput(string? AccountId, string? Handle);

public static class InvitationEndpoints
{
    public static void MapInvitationEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Invitations and bindings");

        g.MapPost("/shops/{shopId}/invitations", async (string shopId, InviteInput body, HttpContext http, CancellationToken ct) =>
        {
            var (command, errors) = Invite.From(shopId, body);
            return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
        }).Requires(Callers.Merchant, Permission.InvitationsManage).WithName("Invite").WithSummary("Invite an account (by accountId or handle) as official or channel account; 409 lists every failing rule.")
            .Produces<BindingView>(201).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        g.MapPost("/shops/{shopId}/official-account/swap", (string shopId, SwapInput body, HttpContext http, CancellationToken ct) =>
        {
            if ((body.AccountId is null) == (body.Handle is null))
            {
                return Task.FromResult(http.Invalid("accountId", "give exactly one of accountId or handle"));
            }
            return http.Write(new Invite(shopId, body.AccountId, body.Handle, BindingRole.Official, Swap: true), ct);
        }).Requires(Callers.Merchant, Permission.InvitationsManage).WithName("SwapOfficialAccount")
            .WithSummary("Replace the official account: invites the new account; on acceptance the old binding ends and the new starts in one transaction (Z-4).")
            .Produces<BindingView>(201).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        foreach (var (verb, action) in new[] { ("accept", BindingAction.Accept), ("decline", BindingAction.Decline), ("cancel", BindingAction.Cancel) })
        {
            g.MapPost($"/invitations/{{id}}/{verb}", (string id, HttpContext http, CancellationToken ct) =>
                    http.Write(new AnswerInvitation(id, action), ct))
                .Requires(verb == "cancel" ? Callers.Merchant : Callers.Creator, verb == "cancel" ? Permission.InvitationsManage : null)
                .WithName($"{char.ToUpperInvariant(verb[0])}{verb[1..]}Invitation")
                .WithSummary(verb == "cancel" ? "The shop cancels an unanswered invitation." : $"The invited account {verb}s within the policy period.")
                .Produces<BindingView>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        }

        g.MapGet("/invitations/{id}", Get).Requires(Callers.Merchant | Callers.Creator | Callers.Reviewer | Callers.Support, Permission.BindingsView).WithName("GetInvitation").WithSummary("An invitation (a binding in any state), with why it still waits (TS-I3).")
            .Produces<BindingView>().ProducesProblem(404);
        g.MapGet("/bindings/{id}", Get).Requires(Callers.Merchant | Callers.Creator | Callers.Reviewer | Callers.Support, Permission.BindingsView).WithName("GetBinding").WithSummary("A binding with its role, state, product access (TS-B4) and pending unlink request.")
            .Produces<BindingView>().ProducesProblem(404);
    }

    private static async Task<IResult> Get(string id, HttpContext http, BinderyDb db, PolicyCatalog policies, TimeProvider clock, CancellationToken ct)
    {
        await http.Settle(ct);
        var b = await Lookup.Binding(db, http.Principal(), id, track: false, ct);
        if (b is null)
        {
            return http.NotFound("binding");
        }
        var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Id == b.ShopId, ct);
        var policy = policies.Get(shop.PolicyId);
        var pending = await db.UnlinkRequests.AsNoTracking().SingleOrDefaultAsync(u => u.BindingId == id && u.State == UnlinkState.Pending, ct);
        var because = await PendingExplanation.For(db, b, policy, clock.GetUtcNow(), http.Lang(), ct);
        return Result.Ok(BindingView.From(b, policy, pending, because)).ToHttp();
    }
}

using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Tickets;

/// <summary>
/// What blocks the invitation a ticket is about, now: the reasons of the same engine as <c>POST /checks</c>
/// (<see cref="Rules.Decide"/> on the current state), each with its rule id, messages and whether support can fix it
/// (TS-E7). A pending invitation is judged as its acceptance (TS-I3); a refused, expired or declined one as a new
/// invitation. The caller's network country (TS-E4) is left out: it is where the merchant sits, not data about the
/// account, so the merchant is taken to act from the shop's operating country.
/// </summary>
public sealed record TicketBlocking(
    string Action, bool Blocked, IReadOnlyList<ReasonView> Reasons, bool SupportCanFixAll, DateTimeOffset? PassesAt,
    string? BindingState, DateTimeOffset EvaluatedAt, string Note)
{
    public static async Task<TicketBlocking> For(BinderyDb db, PolicyCatalog policies, SupportTicketRow t, ShopRow shop, AccountRow account,
        DateTimeOffset now, Language lang, Principal viewer, CancellationToken ct)
    {
        var zh = lang == Language.ZhCn;
        var binding = t.BindingId is null ? null : await db.Bindings.AsNoTracking().SingleOrDefaultAsync(b => b.Id == t.BindingId, ct);
        var state = binding is null ? null : Wire.Name(binding.State);
        if (binding is { State: Domain.BindingState.Active or Domain.BindingState.UnlinkRequested })
        {
            return new TicketBlocking("accept", false, [], false, null, state, now,
                zh ? "账号已接受邀请，绑定已生效，没有阻止的规则。" : "The account accepted: the binding is active and nothing blocks it.");
        }
        var pending = binding is { State: Domain.BindingState.Invited };
        var decision = await Decide(db, policies, shop, account, t.Role, pending ? binding : null, now, ct);
        var note = decision.IsAllowed
            ? (zh ? "当前没有阻止的规则：可以重新邀请，或等待账号确认。" : "Nothing blocks it now: invite again, or wait for the account to accept.")
            : pending
                ? (zh ? "邀请仍在等待账号确认；以下规则会阻止账号接受邀请（TS-I3）。" : "The invitation still waits on the account; these rules would stop it from accepting (TS-I3).")
                : binding is null
                    ? (zh ? "邀请被拒绝；以下规则会阻止店铺现在邀请该账号（TS-E7）。" : "The invitation was refused; these rules stop the shop from inviting the account now (TS-E7).")
                    : (zh ? $"邀请状态为 {state}；以下规则会阻止店铺现在重新邀请该账号。" : $"The invitation is {state}; these rules would stop the shop from inviting the account again now.");
        return new TicketBlocking(Wire.Name(pending ? BindingAction.Accept : BindingAction.Invite), !decision.IsAllowed,
            ReasonView.For(decision, lang, viewer), SupportTickets.SupportCanFixAll(decision), decision.AllPassAt, state, now, note);
    }

    /// <summary>The blocking decision: accepting a pending invitation, else inviting the account in the ticket's role.</summary>
    public static async Task<Decision> Decide(BinderyDb db, PolicyCatalog policies, ShopRow shop, AccountRow account, BindingRole role,
        BindingRow? pendingInvitation, DateTimeOffset now, CancellationToken ct)
    {
        var policy = policies.Get(shop.PolicyId);
        var input = await RuleInputs.For(db, new RuleQuery(shop, account, role, policy, now) { CallerCountry = shop.Country, Binding = pendingInvitation }, ct);
        var decision = Rules.Decide(pendingInvitation is null ? BindingAction.Invite : BindingAction.Accept, input, policy, now);
        return Decision.Denied(decision.Reasons.Where(r => r.Code is not ("caller_country_unknown" or "caller_country_mismatch")).ToList());
    }
}

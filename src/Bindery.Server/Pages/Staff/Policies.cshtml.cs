using Bindery.Domain;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bindery.Server.Pages.Staff;

/// <summary>Each loaded policy in words (read-only): "1 official + 4 channel accounts for invited merchants…".</summary>
public sealed class PoliciesModel(PolicyCatalog catalog) : ConsolePage
{
    public IReadOnlyList<(Policy Policy, IReadOnlyList<(string Topic, string Text)> Lines)> Policies { get; private set; } = [];

    public IActionResult OnGet()
    {
        if (Me is not { IsStaff: true })
        {
            return NotVisible();
        }
        Policies = catalog.All.Select(p => (p, Describe(p))).ToArray();
        return Page();
    }

    private string Limits(RoleLimits l, bool showcase) =>
        showcase ? T.F("policy.limits-showcase", l.Official, l.Channel, l.Showcase?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "∞")
            : T.F("policy.limits", l.Official, l.Channel);

    private IReadOnlyList<(string, string)> Describe(Policy p)
    {
        var sc = p.Showcase is not null;
        var lines = new List<(string, string)>
        {
            (T["policy.capacity"], T.F("policy.capacity-text", Limits(p.InvitedCapacity, sc), Limits(p.RegularCapacity, sc))),
        };
        if (p.ProbationIndividual is { } pi && p.ProbationBusiness is { } pb)
        {
            lines.Add((T["policy.probation"], T.F("policy.probation-text", Limits(pi, sc), Limits(pb, sc))));
        }
        var who = new List<string> { T.F("policy.min-age", p.MinimumAge) };
        if (p.AccountCountryMustMatchShop) { who.Add(T["policy.same-country"]); }
        if (p.AllowedOrigins is { } origins) { who.Add(T.F("policy.origins", string.Join(T["policy.list-sep"], origins.Select(o => Words.Origin(o, Lang))))); }
        if (p.FormalPaymentAccountBlocksOfficial) { who.Add(T["policy.no-payment-account"]); }
        lines.Add((T["policy.who"], string.Join(T["policy.sep"], who)));
        if (p.CallerCountryCheckedOn.Count > 0)
        {
            lines.Add((T["policy.caller-country"], T.F("policy.caller-country-text", string.Join(T["policy.list-sep"], p.CallerCountryCheckedOn.Order().Select(a => T["action." + Wire.Name(a)])))));
        }
        lines.Add((T["policy.invitation"], T.F("policy.invitation-text", T.Duration(p.InvitationTtl))));
        var unbind = new List<string>();
        foreach (var role in sc ? new[] { BindingRole.Official, BindingRole.Channel, BindingRole.Showcase } : [BindingRole.Official, BindingRole.Channel])
        {
            var traits = p.Traits(role);
            unbind.Add(T.F("policy.unbind-role", RoleName(Wire.Name(role)), T["unbind-method." + Wire.Name(traits.Unbind)], T.Duration(p.MinimumActive(role))));
        }
        lines.Add((T["policy.unbinding"], string.Join(T["policy.sep"], unbind)));
        if (p.OfficialUnbindsPerLifetime is { } n) { lines.Add((T["policy.official-unbinds"], T.F("policy.official-unbinds-text", n))); }
        if (p.ChannelBindLimit is { } c) { lines.Add((T["policy.channel-binds"], T.F("policy.channel-binds-text", c, T.Duration(p.ChannelBindWindow)))); }
        lines.Add((T["policy.unlink"], T.F("policy.unlink-text", T.Duration(p.UnlinkAutoApproveAfter))));
        if (p.Closure is { } closure) { lines.Add((T["policy.closure"], T.F("policy.closure-text", T.Duration(closure.NoticePeriod)))); }
        if (p.AccountDeletion is { } deletion) { lines.Add((T["policy.deletion"], T.F("policy.deletion-text", T.Duration(deletion.BindingsEndAfter)))); }
        if (p.MainAccount is { } main)
        {
            lines.Add((T["policy.main-account"], T.F("policy.main-account-text", main.CodeLength, T.Duration(main.CodeValidFor), main.MaxWrongCodes,
                T.Duration(main.RebindWaitingPeriod), main.MaxChanges, T.Duration(main.ChangePeriod))));
        }
        if (p.UnbindApplication is { } app)
        {
            lines.Add((T["policy.applications"], T.F("policy.applications-text", app.ReviewMinBusinessDays, app.ReviewMaxBusinessDays,
                string.Join(T["policy.sep"], app.Reasons.Select(r => Lang == Language.ZhCn ? r.Zh : r.En)))));
        }
        return lines;
    }
}

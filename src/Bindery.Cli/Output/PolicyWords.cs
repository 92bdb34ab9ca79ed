using System.Globalization;
using Bindery.Domain;

namespace Bindery.Cli.Output;

/// <summary>A policy in words, topic by topic, for <c>policy show</c> and <c>policy validate</c>.</summary>
public static class PolicyWords
{
    public static IReadOnlyList<(string Topic, string Text)> Describe(Policy p)
    {
        var rows = new List<(string, string)>
        {
            ("Policy", $"{p.Name} ({p.Id}, version {p.Version})"),
            ("Official account", Role(p.Official, p, BindingRole.Official)),
            ("Channel account", Role(p.Channel, p, BindingRole.Channel)),
        };
        if (p.Showcase is { } showcase)
        {
            rows.Add(("Showcase account", Role(showcase, p, BindingRole.Showcase)));
        }
        rows.Add(("Capacity", $"regular merchants: {Limits(p.RegularCapacity)}; invited merchants: {Limits(p.InvitedCapacity)}"));
        if (p.ProbationIndividual is { } pi && p.ProbationBusiness is { } pb)
        {
            rows.Add(("On probation", $"individual shops: {Limits(pi)}; other shops: {Limits(pb)}"));
        }
        var eligibility = new List<string> { $"at least {p.MinimumAge} years old" };
        if (p.AccountCountryMustMatchShop)
        {
            eligibility.Add("registered in the shop's country");
        }
        if (p.AllowedOrigins is { } origins)
        {
            eligibility.Add("from " + string.Join(", ", origins.Select(Wire.Name)));
        }
        if (p.FormalPaymentAccountBlocksOfficial)
        {
            eligibility.Add("no formal payment account for an official account");
        }
        rows.Add(("Who may bind", string.Join("; ", eligibility)));
        if (p.CallerCountryCheckedOn.Count > 0)
        {
            rows.Add(("Caller's country", "must be the shop's country to " + string.Join(", ", p.CallerCountryCheckedOn.Select(Wire.Name))));
        }
        if (p.SupportCannotFixRegistrationCountries.Count > 0)
        {
            rows.Add(("Support cannot fix", "registrations in " + string.Join(", ", p.SupportCannotFixRegistrationCountries.Order(StringComparer.Ordinal))));
        }
        rows.Add(("Invitation", $"expires after {Duration(p.InvitationTtl)}"));
        rows.Add(("Unbinding", (p.MinimumActiveBeforeUnbind > TimeSpan.Zero ? $"only after {Duration(p.MinimumActiveBeforeUnbind)} active" : "no minimum time active")
            + (p.OfficialUnbindsPerLifetime is { } n ? $"; at most {n} official unbinds per shop lifetime" : "")));
        if (p.ChannelBindLimit is { } limit)
        {
            rows.Add(("Channel binds", $"at most {limit} per {Duration(p.ChannelBindWindow)}"));
        }
        rows.Add(("Unlink request", $"approved automatically after {Duration(p.UnlinkAutoApproveAfter)} without an answer"));
        if (p.Closure is { } closure)
        {
            rows.Add(("Shop closure", $"{Duration(closure.NoticePeriod)} notice, then every binding ends"));
        }
        if (p.AccountDeletion is { } deletion)
        {
            rows.Add(("Account deletion", $"bindings end {Duration(deletion.BindingsEndAfter)} after it"));
        }
        if (p.EnterpriseUpgrade is { } upgrade)
        {
            rows.Add(("Enterprise upgrade", $"{string.Join("/", upgrade.AccountTypes.Select(Wire.Name))} accounts bound as official to {string.Join("/", upgrade.ShopKinds.Select(Wire.Name))} shops"));
        }
        if (p.Settlement is { } settlement)
        {
            rows.Add(("Settlement", (settlement.OfficialSharesPaymentAccount ? "the official account is paid through the shop's payment account" : "accounts are paid themselves")
                + (settlement.ZeroCommissionRoles.Count > 0 ? $"; no commission for {string.Join(", ", settlement.ZeroCommissionRoles.Select(Wire.Name))}" : "")));
        }
        if (p.MainAccount is { } main)
        {
            rows.Add(("Main account change", string.Create(CultureInfo.InvariantCulture,
                $"{main.CodeLength}-digit code valid {Duration(main.CodeValidFor)}; locked for {Duration(main.LockFor)} after {main.MaxWrongCodes} wrong codes; at most {main.MaxChanges} per {Duration(main.ChangePeriod)}")));
        }
        if (p.UnbindApplication is { } app)
        {
            rows.Add(("Unbind application", $"reviewed in {app.ReviewMinBusinessDays}–{app.ReviewMaxBusinessDays} business days; reasons: {string.Join(", ", app.Reasons.Select(r => r.Code))}"));
        }
        if (p.RuleIds.Count > 0)
        {
            rows.Add(("Rule ids", string.Join(", ", p.RuleIds.OrderBy(kv => kv.Value, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}"))));
        }
        return rows;
    }

    private static string Role(RoleTraits t, Policy p, BindingRole role)
    {
        var products = t.ProductsSyncAutomatically ? "products sync automatically" : "no automatic product sync";
        var byHand = t.MayAddProductsByHand ? "may add products by hand" : "may not add products by hand";
        var undo = t.Unbind switch
        {
            UnbindMethod.OwnerConfirmed => "the owner undoes it after a confirmation",
            UnbindMethod.Application => "undone only by an approved unbind application",
            _ => "undone by an unlink request the shop answers",
        };
        var minimum = p.MinimumActive(role);
        return $"{products}, {byHand}; {undo}" + (minimum > TimeSpan.Zero ? $" after at least {Duration(minimum)} active" : "");
    }

    private static string Limits(RoleLimits l) =>
        $"{l.Official} official, {l.Channel} channel" + (l.Showcase is { } s ? (s > 0 ? $", {s} showcase" : "") : ", unlimited showcase");

    /// <summary>48 hours, 7 days, 180 days, 30 minutes: days from 3 days up, else the largest whole unit.</summary>
    public static string Duration(TimeSpan d)
    {
        if (d == TimeSpan.Zero)
        {
            return "no time";
        }
        string Unit(double n, string unit) => string.Create(CultureInfo.InvariantCulture, $"{n:0.##} {unit}{(n == 1 ? "" : "s")}");
        if (d.TotalDays >= 3 && d.TotalDays == Math.Floor(d.TotalDays))
        {
            return Unit(d.TotalDays, "day");
        }
        if (d.TotalHours >= 1 && d.TotalHours == Math.Floor(d.TotalHours))
        {
            return Unit(d.TotalHours, "hour");
        }
        if (d.TotalMinutes >= 1 && d.TotalMinutes == Math.Floor(d.TotalMinutes))
        {
            return Unit(d.TotalMinutes, "minute");
        }
        return Unit(d.TotalSeconds, "second");
    }
}

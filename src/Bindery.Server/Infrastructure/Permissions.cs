using System.Collections.Frozen;
using Bindery.Domain;

namespace Bindery.Server.Infrastructure;

/// <summary>
/// What a merchant's sub account may be authorized to do for the main account's shop (DY-D4). A main account holds
/// all of them; <see cref="Finance"/> is delegable only when configured; <see cref="Owner"/> never is.
/// </summary>
public enum Permission
{
    /// <summary>bindings.view: the shop, its bindings, quotas, inbox, checks, events, invitations and requests.</summary>
    BindingsView,

    /// <summary>bindings.manage: answer unlink requests.</summary>
    BindingsManage,

    /// <summary>invitations.manage: invite, cancel, swap the official account.</summary>
    InvitationsManage,

    /// <summary>applications.manage: file, view, correct and withdraw unbind applications.</summary>
    ApplicationsManage,

    /// <summary>chat: customer conversations (DY-D5).</summary>
    Chat,

    /// <summary>history.export: the shop's history and exports.</summary>
    HistoryExport,

    /// <summary>finance: settlement attribution and payment data; delegable only when the operator allows it.</summary>
    Finance,

    /// <summary>owner: main-account changes, shop closure, authorizing sub accounts; never delegable.</summary>
    Owner,
}

public static class PermissionNames
{
    private static readonly FrozenDictionary<Permission, string> Names = new Dictionary<Permission, string>
    {
        [Permission.BindingsView] = "bindings.view",
        [Permission.BindingsManage] = "bindings.manage",
        [Permission.InvitationsManage] = "invitations.manage",
        [Permission.ApplicationsManage] = "applications.manage",
        [Permission.Chat] = "chat",
        [Permission.HistoryExport] = "history.export",
        [Permission.Finance] = DelegationRules.Finance,
        [Permission.Owner] = DelegationRules.Owner,
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, Permission> ByName = Names.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    public static string Wire(Permission p) => Names[p];

    public static bool TryParse(string name, out Permission permission) => ByName.TryGetValue(name, out permission);

    public static IReadOnlyList<string> AllNames => [.. Names.Values];

    /// <summary>The permissions a sub account may be given (DY-D4): never owner; finance only if the operator allows it.</summary>
    public static IReadOnlySet<Permission> Delegable(bool financeDelegable) =>
        Enum.GetValues<Permission>().Where(p => DelegationRules.CheckPermission(Wire(p), financeDelegable).IsAllowed).ToHashSet();

    /// <summary>A stored or claimed space-separated list; unknown names are dropped (they grant nothing).</summary>
    public static IReadOnlySet<Permission> ParseList(string list) =>
        list.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => TryParse(n, out var p) ? (Permission?)p : null)
            .OfType<Permission>().ToHashSet();

    public static string Format(IEnumerable<Permission> permissions) =>
        string.Join(' ', permissions.Distinct().Select(Wire).Order(StringComparer.Ordinal));
}

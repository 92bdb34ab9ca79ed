namespace Bindery.Cli.Import;

/// <summary>What a CSV file can hold: its bulk endpoint and the API field names its header may use.</summary>
public sealed record ImportKind(string Name, string Endpoint, IReadOnlyList<string> Fields, IReadOnlySet<string> BooleanFields)
{
    public static readonly ImportKind Shops = new("shops", "api/v1/bulk/shops",
        ["id", "name", "policyId", "country", "merchantType", "kind", "probationEndsAt", "status", "ecommercePermission", "mainAccountId", "paymentAccount"],
        new HashSet<string>(StringComparer.Ordinal) { "ecommercePermission" });

    public static readonly ImportKind Accounts = new("accounts", "api/v1/bulk/accounts",
        ["id", "handle", "origin", "registrationCountry", "birthDate", "status", "type", "realNameVerified", "phone", "hasFormalPaymentAccount"],
        new HashSet<string>(StringComparer.Ordinal) { "realNameVerified", "hasFormalPaymentAccount" });

    public static readonly ImportKind Invitations = new("invitations", "api/v1/bulk/invitations",
        ["shopId", "accountId", "handle", "role"], new HashSet<string>(StringComparer.Ordinal));

    public static readonly ImportKind UnlinkApprovals = new("unlink-approvals", "api/v1/bulk/unlink-approvals",
        ["unlinkRequestId", "note"], new HashSet<string>(StringComparer.Ordinal));

    public static readonly IReadOnlyList<ImportKind> All = [Shops, Accounts, Invitations, UnlinkApprovals];

    /// <summary>The columns <c>bindery</c> adds to a rejected-rows file; ignored when that file is imported again.</summary>
    public static readonly IReadOnlyList<string> ErrorColumns = ["error_code", "error_rules", "error_message"];
}

namespace Bindery.Domain;

/// <summary>The spec's rule ids, as they appear in denials.</summary>
public static class RuleIds
{
    public const string RegularCapacity = "TS-B1";
    public const string InvitedCapacity = "TS-B2";
    public const string OneShopPerAccount = "TS-B3";
    public const string AccountStatus = "TS-E1";
    public const string Age = "TS-E2";
    public const string AccountCountry = "TS-E3";
    public const string CallerCountry = "TS-E4";
    public const string ShopStatus = "TS-E5";
    public const string InvitationExpiry = "TS-I1";
    public const string InvitationAnswer = "TS-I2";
    public const string UnbindDelay = "TS-Q1";
    public const string OfficialUnbinds = "TS-Q2";
    public const string ChannelBindQuota = "TS-Q3";
    public const string Probation = "TS-Q5";
    public const string UnlinkRequest = "TS-U1";
    public const string Origin = "DY-B4";
    public const string FormalPaymentAccount = "DY-B5";
}

namespace Bindery.Server.Tests.Nodes;

/// <summary>
/// The rules checked in SQL after a crash or a multi-node run, over the whole recorded history: a binding is live
/// (it holds the account and a capacity slot, TS-B3) from its invitation until it ends, [InvitedAt, EndedAt).
/// </summary>
public static class Invariants
{
    private const string Live = "\"State\" IN ('invited', 'active', 'unlink_requested')";

    public static async Task AssertRulesHold(TestStore store)
    {
        // TS-B3 now: at most one live binding per account.
        var doubly = await store.Rows($"SELECT \"AccountId\", COUNT(*) FROM \"bindings\" WHERE {Live} GROUP BY \"AccountId\" HAVING COUNT(*) > 1");
        Assert.True(doubly.Count == 0, "accounts with two live bindings: " + string.Join(", ", doubly.Select(r => r[0])));

        // TS-B3 at every instant: when a binding started, no other binding of its account was live.
        var overlapping = await store.Rows(
            "SELECT b.\"Id\" FROM \"bindings\" b WHERE (SELECT COUNT(*) FROM \"bindings\" o WHERE o.\"AccountId\" = b.\"AccountId\" " +
            "AND o.\"InvitedAt\" <= b.\"InvitedAt\" AND (o.\"EndedAt\" IS NULL OR o.\"EndedAt\" > b.\"InvitedAt\")) > 1");
        Assert.True(overlapping.Count == 0, "bindings that started while their account was held elsewhere: " + string.Join(", ", overlapping.Select(r => r[0])));

        // TS-B1/TS-B2 at every instant (TikTok shops): live bindings of a role never exceed the shop's capacity.
        var over = await store.Rows(
            "SELECT b.\"Id\", s.\"Id\", b.\"Role\" FROM \"bindings\" b JOIN \"shops\" s ON s.\"Id\" = b.\"ShopId\" " +
            "WHERE s.\"PolicyId\" = 'tiktok-shop' AND (SELECT COUNT(*) FROM \"bindings\" o WHERE o.\"ShopId\" = b.\"ShopId\" AND o.\"Role\" = b.\"Role\" " +
            "AND o.\"InvitedAt\" <= b.\"InvitedAt\" AND (o.\"EndedAt\" IS NULL OR o.\"EndedAt\" > b.\"InvitedAt\")) > " +
            "CASE WHEN b.\"Role\" = 'official' THEN 1 WHEN s.\"MerchantType\" = 'invited' THEN 4 ELSE 0 END");
        Assert.True(over.Count == 0, "bindings over capacity: " + string.Join(", ", over.Select(r => $"{r[0]} ({r[1]}, {r[2]})")));

        // TS-Q2: at most 3 official unbinds per shop over its history.
        var q2 = await store.Rows(
            "SELECT \"ShopId\", COUNT(*) FROM \"bindings\" WHERE \"Role\" = 'official' " +
            "AND \"EndReason\" IN ('unlink_approved', 'unlink_auto_approved', 'swapped') GROUP BY \"ShopId\" HAVING COUNT(*) > 3");
        Assert.True(q2.Count == 0, "shops over the official unbind quota: " + string.Join(", ", q2.Select(r => r[0])));

        // TS-Q3: at most 10 channel binds per shop in 180 days (every run here spans less than 180 days).
        var q3 = await store.Rows(
            "SELECT \"ShopId\", COUNT(*) FROM \"bindings\" WHERE \"Role\" = 'channel' AND \"ActivatedAt\" IS NOT NULL GROUP BY \"ShopId\" HAVING COUNT(*) > 10");
        Assert.True(q3.Count == 0, "shops over the channel bind quota: " + string.Join(", ", q3.Select(r => r[0])));

        // one event per recorded transition; none twice.
        var twice = await store.Rows(
            "SELECT \"Type\", \"SubjectId\", COUNT(*) FROM \"events\" WHERE \"Type\" IN ('invitation.sent', 'invitation.accepted', " +
            "'invitation.expired', 'binding.activated', 'unlink_request.approved', 'unlink_request.auto_approved', 'binding.ended', 'shop.closed', 'invitation.cancelled') " +
            "GROUP BY \"Type\", \"SubjectId\" HAVING COUNT(*) > 1");
        Assert.True(twice.Count == 0, "transitions recorded twice: " + string.Join(", ", twice.Select(r => $"{r[0]} {r[1]} x{r[2]}")));
    }
}

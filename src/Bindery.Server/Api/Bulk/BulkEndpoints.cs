using Bindery.Server.Features.Accounts;
using Bindery.Server.Features.Bulk;
using Bindery.Server.Features.Shops;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Api.Bulk;

/// <summary>
/// Z-3: bulk operations. Each request is one command through the write pipeline: one transaction, items in order, each
/// with its own result; under an Idempotency-Key a retry replays the whole answer and acts once.
/// </summary>
public static class BulkEndpoints
{
    public static void MapBulkEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/bulk").WithTags("Bulk").WithMetadata(new BodyLimit(InputGate.BulkBodyLimit));

        g.MapPost("/shops", (BulkRequest<ShopInput> body, HttpContext http, CancellationToken ct) =>
                Write(http, body, items => new BulkCreateShops(items), ct))
            .Requires(Callers.Admin).WithName("BulkCreateShops").WithSummary("Import shops, each as POST /shops; an id already stored with the same data is 'exists' (admin, Z-3).")
            .Produces<BulkResponse>().ProducesProblem(400).ProducesProblem(403);

        g.MapPost("/accounts", (BulkRequest<AccountInput> body, HttpContext http, CancellationToken ct) =>
                Write(http, body, items => new BulkCreateAccounts(items), ct))
            .Requires(Callers.Admin).WithName("BulkCreateAccounts").WithSummary("Import creator accounts, each as POST /accounts; an id or handle already stored with the same data is 'exists' (admin, Z-3).")
            .Produces<BulkResponse>().ProducesProblem(400).ProducesProblem(403);

        g.MapPost("/invitations", (BulkRequest<BulkInvitationInput> body, HttpContext http, CancellationToken ct) =>
                Write(http, body, items => new BulkInvite(items), ct))
            .Requires(Callers.Merchant, Permission.InvitationsManage).WithName("BulkInvite").WithSummary("Send many invitations {shopId, accountId or handle, role}, each checked as one; later items see earlier ones (Z-3).")
            .Produces<BulkResponse>().ProducesProblem(400);

        g.MapPost("/unlink-approvals", (BulkRequest<BulkUnlinkApprovalInput> body, HttpContext http, CancellationToken ct) =>
                Write(http, body, items => new BulkApproveUnlinks(items), ct))
            .Requires(Callers.Merchant, Permission.BindingsManage).WithName("BulkApproveUnlinks").WithSummary("Approve many unlink requests {unlinkRequestId, note}; each binding ends at once (TS-U1, Z-3).")
            .Produces<BulkResponse>().ProducesProblem(400);
    }

    private static async Task<IResult> Write<T>(HttpContext http, BulkRequest<T> body, Func<IReadOnlyList<T?>, IWriteCommand> command, CancellationToken ct)
        where T : class
    {
        if (BulkLimits.Check(body) is { } refusal)
        {
            return refusal.ToHttp();
        }
        return await http.Write(command(body.Items!), ct);
    }
}

using Bindery.Server.Features.Lifecycle;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Api.Lifecycle;

public static class LifecycleEndpoints
{
    public static void MapLifecycleEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Shop closure and account deletion");
        g.MapPost("/shops/{shopId}/closure", (string shopId, ClosureInput? body, HttpContext http, CancellationToken ct) =>
        {
            if (body?.Reason is { Length: > 500 })
            {
                return Task.FromResult(http.Invalid("reason", "at most 500 characters"));
            }
            return http.Write(new AnnounceClosure(shopId, body?.Reason), ct);
        }).Requires(Callers.Merchant, Permission.Owner).WithName("AnnounceClosure").WithSummary("Publish the shop's closure notice; at its end the shop closes and every binding ends (DY-L1).")
            .Produces<ShopView>().ProducesProblem(404).ProducesProblem(409);
        g.MapPost("/shops/{shopId}/closure/cancel", (string shopId, HttpContext http, CancellationToken ct) => http.Write(new CancelClosure(shopId), ct))
            .Requires(Callers.Merchant, Permission.Owner).WithName("CancelClosure").WithSummary("Withdraw the closure notice before the shop closes.")
            .Produces<ShopView>().ProducesProblem(404).ProducesProblem(409);
        g.MapPost("/accounts/{accountId}/deletion", (string accountId, HttpContext http, CancellationToken ct) => http.Write(new DeleteAccount(accountId), ct))
            .Requires(Callers.Creator).WithName("DeleteAccount").WithSummary("Delete the account; its binding ends after the policy's grace period (DY-L2). Nothing is erased (DY-L3).")
            .Produces<AccountView>().ProducesProblem(404).ProducesProblem(409);
    }
}

using Bindery.Server.Features.Checks;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Api.Checks;

public static class CheckEndpoints
{
    public static void MapCheckEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/checks", async (CheckInput body, HttpContext http, CancellationToken ct) => (await CheckQueries.Check(body, http.Reader(), ct)).ToHttp()).WithTags("Checks").Requires(Callers.Merchant | Callers.Creator, Permission.BindingsView).WithName("Check")
            .WithSummary("Dry run: would this action be allowed now? Answers with every failing rule, its messages and when it passes (X-4).")
            .Produces<CheckView>().ProducesProblem(400).ProducesProblem(404);
    }
}

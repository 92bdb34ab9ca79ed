using Bindery.Server.Features.Admin;
using Bindery.Server.Http;

namespace Bindery.Server.Api.Admin;

public static class DemoEndpoints
{
    public static void MapDemoEndpoints(this RouteGroupBuilder api) =>
        api.MapGet("/demo/principals", () => Result.Ok(Demo.Principals).ToHttp()).AllowAnonymous().WithTags("Demo")
            .Public().WithName("ListDemoPrincipals").WithSummary("The demo principals and their tokens (demo mode only).").Produces<DemoPrincipal[]>();
}

using Bindery.Server.Features.Bindings;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Api.Bindings;

public static class BindingEndpoints
{
    public static void MapBindingEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/bindings/{id}/unbind", (string id, OwnerUnbindInput? body, HttpContext http, Confirmations confirmations, CancellationToken ct) =>
                http.Write(new OwnerUnbind(id, body?.ConfirmationToken, confirmations), ct))
            .WithTags("Invitations and bindings").Requires(Callers.Creator).WithName("OwnerUnbind")
            .WithSummary("The account owner unbinds a showcase binding: a first call answers with a confirmation token, a second call with it unbinds at once (DY-B3).")
            .Produces<ConfirmationView>().Produces<BindingView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
    }
}

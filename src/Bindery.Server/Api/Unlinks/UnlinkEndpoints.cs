using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Unlinks;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Api.Unlinks;

public static class UnlinkEndpoints
{
    public static void MapUnlinkEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Unlink requests");

        g.MapPost("/bindings/{id}/unlink-requests", (string id, UnlinkInput? body, HttpContext http, CancellationToken ct) =>
        {
            if (body?.Reason is { Length: > 500 })
            {
                return Task.FromResult(http.Invalid("reason", "at most 500 characters"));
            }
            return http.Write(new RequestUnlink(id, body?.Reason), ct);
        }).Requires(Callers.Creator).WithName("RequestUnlink").WithSummary("The bound account asks to unlink; the shop must answer before auto-approval (TS-U1, TS-U4).")
            .Produces<UnlinkRequestView>(201).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        foreach (var (verb, action) in new[] { ("approve", BindingAction.ApproveUnlink), ("reject", BindingAction.RejectUnlink) })
        {
            g.MapPost($"/unlink-requests/{{id}}/{verb}", (string id, UnlinkDecisionInput? body, HttpContext http, CancellationToken ct) =>
                {
                    var (command, errors) = DecideUnlink.From(id, action, body?.Note);
                    return command is null ? Task.FromResult<IResult>(errors.Problem(http.Lang())) : http.Write(command, ct);
                })
                .Requires(Callers.Merchant, Permission.BindingsManage)
                .WithName(verb == "approve" ? "ApproveUnlink" : "RejectUnlink")
                .WithSummary(verb == "approve" ? "The shop approves: the binding ends at once." : "The shop rejects: the binding stays active.")
                .Produces<UnlinkRequestView>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        }

        g.MapGet("/unlink-requests/{id}", async (string id, HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            await http.Settle(ct);
            var u = await Lookup.Unlink(db, http.Principal(), id, track: false, ct);
            return u is null ? http.NotFound("unlink request") : Result.Ok(UnlinkRequestView.From(u)).ToHttp();
        }).Requires(Callers.Merchant | Callers.Creator | Callers.Support, Permission.BindingsView).WithName("GetUnlinkRequest").WithSummary("An unlink request with who must act and by when.").Produces<UnlinkRequestView>().ProducesProblem(404);
    }
}

using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.MainAccount;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.MainAccount;

/// <summary>DY-M1..M4: the shop's main account (主账户) and the changes that replace it, verified by a one-time code.</summary>
public static class MainAccountEndpoints
{
    public static void MapMainAccountEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Main account");

        g.MapPost("/shops/{shopId}/main-account-changes", async (string shopId, StartMainAccountChangeInput body, HttpContext http, IOtpSender sender,
            CancellationToken ct) =>
        {
            var (command, errors) = StartMainAccountChange.From(shopId, body, sender);
            return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
        }).Requires(Callers.Merchant, Permission.Owner).WithName("StartMainAccountChange")
            .WithSummary("Start changing the shop's main account to another account (merchant or admin); a one-time code goes to that account's phone. 409 lists every failing rule (DY-M1..M4).")
            .Produces<MainAccountChangeView>(201).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(503);

        g.MapPost("/main-account-changes/{id}/verify", async (string id, VerifyMainAccountChangeInput body, HttpContext http, CancellationToken ct) =>
        {
            var (command, errors) = VerifyMainAccountChange.From(id, body);
            return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
        }).Requires(Callers.Merchant | Callers.Creator, Permission.Owner).WithName("VerifyMainAccountChange")
            .WithSummary("Enter the one-time code: right completes the change at once; wrong answers 422 wrong_code with attemptsLeft, and the last allowed wrong code locks it (423 change_locked, DY-M4).")
            .Produces<MainAccountChangeView>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422).ProducesProblem(423);

        g.MapPost("/main-account-changes/{id}/resend", (string id, HttpContext http, IOtpSender sender, CancellationToken ct) =>
                http.Write(new ResendMainAccountCode(id, sender), ct))
            .Requires(Callers.Merchant, Permission.Owner).WithName("ResendMainAccountCode").WithSummary("Send a new code within the change's window; the previous code stops working (merchant or admin).")
            .Produces<MainAccountChangeView>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(503);

        g.MapPost("/main-account-changes/{id}/cancel", (string id, HttpContext http, CancellationToken ct) =>
                http.Write(new CancelMainAccountChange(id), ct))
            .Requires(Callers.Merchant, Permission.Owner).WithName("CancelMainAccountChange").WithSummary("Withdraw a change that still waits for its code (merchant or admin).")
            .Produces<MainAccountChangeView>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        g.MapGet("/main-account-changes/{id}", async (string id, HttpContext http, CancellationToken ct) => (await MainAccountQueries.GetChange(id, http.Reader(), ct)).ToHttp()).Requires(Callers.Merchant | Callers.Creator, Permission.Owner).WithName("GetMainAccountChange")
            .WithSummary("A main-account change with its state, where the code went (masked), attempts left and who must act by when (Z-1).")
            .Produces<MainAccountChangeView>().ProducesProblem(404).ProducesProblem(409);

        g.MapGet("/shops/{shopId}/main-account-changes", async (string shopId, HttpContext http, CancellationToken ct) => (await MainAccountQueries.ListChanges(shopId, http.Reader(), ct)).ToHttp()).Requires(Callers.Merchant, Permission.Owner).WithName("ListMainAccountChanges")
            .WithSummary("The shop's main-account changes in every state, newest first.")
            .Produces<MainAccountChangeView[]>().ProducesProblem(404).ProducesProblem(409);

        g.MapGet("/shops/{shopId}/main-account", async (string shopId, HttpContext http, CancellationToken ct) => (await MainAccountQueries.GetMainAccount(shopId, http.Reader(), ct)).ToHttp()).Requires(Callers.Merchant, Permission.BindingsView).WithName("GetMainAccount")
            .WithSummary("The shop's main account, since when, the change in progress, the completed changes and when the next change is possible (DY-M1, DY-M3, DY-M4).")
            .Produces<MainAccountView>().ProducesProblem(404).ProducesProblem(409);
    }
}

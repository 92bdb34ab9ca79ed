using Bindery.Domain;
using Bindery.Server.Features.Chat;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Api.Chat;

/// <summary>DY-D4 / DY-D5: customer-service sub accounts of a shop and the routing of customer conversations among them.</summary>
public static class ChatEndpoints
{
    public static void MapChatEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/shops/{shopId}").WithTags("Customer chat");

        g.MapPost("/chat-agents", async (string shopId, AgentInput body, HttpContext http, CancellationToken ct) =>
            {
                var (command, errors) = RegisterAgent.From(shopId, body);
                return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
            })
            .Requires(Callers.Merchant, Permission.Owner).WithName("RegisterChatAgent")
            .WithSummary("The shop registers a sub account as a customer-service agent: group, optional capacity, status (default offline) (DY-D4, DY-D5).")
            .Produces<ChatAgentView>(201).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        g.MapGet("/chat-agents", async (string shopId, string? group, HttpContext http, CancellationToken ct) => (await ChatQueries.Agents(shopId, group, http.Reader(), ct)).ToHttp())
            .Requires(Callers.Merchant | Callers.Creator, Permission.Chat).WithName("ListChatAgents")
            .WithSummary("The shop's agents with group, status, capacity and open conversations; group filters (DY-D5).")
            .Produces<ChatAgentView[]>().ProducesProblem(404);

        g.MapPost("/chat-agents/{agentId}/status", (string shopId, string agentId, AgentStatusInput body, HttpContext http, CancellationToken ct) =>
            {
                var errors = new FieldErrors();
                var status = errors.Enum<AgentStatus>("status", body.Status, required: true);
                return errors.Any ? Task.FromResult<IResult>(errors.Problem(http.Lang())) : http.Write(new SetAgentStatus(shopId, agentId, status!.Value), ct);
            })
            .Requires(Callers.Merchant | Callers.Creator, Permission.Chat).WithName("SetChatAgentStatus")
            .WithSummary("The agent (or the shop) sets online, busy or offline; offline hands its conversations to other online agents or the queue, online takes queued ones (DY-D5).")
            .Produces<AgentStatusView>().ProducesProblem(400).ProducesProblem(404);

        g.MapPost("/conversations", async (string shopId, ConversationInput body, HttpContext http, CancellationToken ct) =>
            {
                var (command, errors) = OpenConversation.From(shopId, body);
                return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
            })
            .Requires(Callers.Merchant, Permission.Chat).WithName("OpenConversation")
            .WithSummary("An incoming customer conversation: assigned to the online agent of the group with the fewest open conversations, or queued (DY-D5).")
            .Produces<ConversationView>(201).Produces<ConversationView>(200).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        g.MapGet("/conversations", async (string shopId, string? state, string? group, string? agentId, int? limit, HttpContext http, CancellationToken ct) => (await ChatQueries.Conversations(shopId, state, group, agentId, limit, http.Reader(), ct)).ToHttp())
            .Requires(Callers.Merchant | Callers.Creator, Permission.Chat).WithName("ListConversations")
            .WithSummary("The shop's conversations, oldest first; state=open|queued|assigned|closed, group and agentId filter; an agent sees its own (DY-D5).")
            .Produces<ConversationView[]>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);

        g.MapGet("/conversations/{conversationId}", async (string shopId, string conversationId, HttpContext http, CancellationToken ct) => (await ChatQueries.Conversation(shopId, conversationId, http.Reader(), ct)).ToHttp())
            .Requires(Callers.Merchant | Callers.Creator, Permission.Chat).WithName("GetConversation")
            .WithSummary("A conversation with its agent or its place in the queue (DY-D5).")
            .Produces<ConversationView>().ProducesProblem(404);

        g.MapPost("/conversations/{conversationId}/close", (string shopId, string conversationId, HttpContext http, CancellationToken ct) =>
                http.Write(new CloseConversation(shopId, conversationId), ct))
            .Requires(Callers.Merchant | Callers.Creator, Permission.Chat).WithName("CloseConversation")
            .WithSummary("The shop or the assigned agent closes a conversation; a queued one may take the freed place (DY-D5).")
            .Produces<ConversationView>().ProducesProblem(404).ProducesProblem(409);
    }
}

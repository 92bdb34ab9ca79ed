using Microsoft.EntityFrameworkCore;

namespace Bindery.Persistence;

/// <summary>The tables of support tickets and customer-chat routing (DY-D5); see Migrations/Sqlite/0006_support.sql.</summary>
internal static class SupportModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<SupportTicketRow>(e =>
        {
            e.ToTable("support_tickets");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ShopId, x.OpenedAt });
            e.HasIndex(x => new { x.State, x.DueAt });
            e.HasIndex(x => new { x.ShopId, x.AccountId }).IsUnique().HasFilter("\"State\" <> 'closed'").HasDatabaseName("ux_ticket_open");
        });
        b.Entity<TicketMessageRow>(e =>
        {
            e.ToTable("ticket_messages");
            e.HasKey(x => x.Seq);
            e.HasIndex(x => new { x.TicketId, x.Seq });
        });
        b.Entity<AccountCorrectionRow>(e =>
        {
            e.ToTable("account_corrections");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.TicketId);
        });
        b.Entity<ChatAgentRow>(e =>
        {
            e.ToTable("chat_agents");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ShopId, x.AccountId }).IsUnique().HasDatabaseName("ux_chat_agent_shop_account");
            e.HasIndex(x => new { x.ShopId, x.Group });
        });
        b.Entity<ConversationRow>(e =>
        {
            e.ToTable("conversations");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ShopId, x.Group, x.State, x.CreatedAt });
            e.HasIndex(x => new { x.AgentId, x.State });
            e.HasIndex(x => new { x.ShopId, x.CustomerRef }).IsUnique().HasFilter("\"State\" <> 'closed'").HasDatabaseName("ux_conversation_open_customer");
        });
    }
}

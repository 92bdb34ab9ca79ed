using System.Linq.Expressions;
using Bindery.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bindery.Persistence;

/// <summary>
/// The store. It also holds the ASP.NET Core Data Protection key ring shared by every node (<see cref="DataProtectionKeys"/>,
/// ADR 0017): it encrypts webhook secrets and signs the cookies.
/// </summary>
public sealed class BinderyDb(DbContextOptions<BinderyDb> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<ShopRow> Shops => Set<ShopRow>();
    public DbSet<AccountRow> Accounts => Set<AccountRow>();
    public DbSet<BindingRow> Bindings => Set<BindingRow>();
    public DbSet<UnlinkRequestRow> UnlinkRequests => Set<UnlinkRequestRow>();
    public DbSet<HistoryRow> History => Set<HistoryRow>();
    public DbSet<EventRow> Events => Set<EventRow>();
    public DbSet<TokenRow> Tokens => Set<TokenRow>();
    public DbSet<IdempotencyRow> IdempotencyRecords => Set<IdempotencyRow>();
    public DbSet<SettingRow> Settings => Set<SettingRow>();
    public DbSet<MainAccountChangeRow> MainAccountChanges => Set<MainAccountChangeRow>();
    public DbSet<MainAccountWrongCodeRow> MainAccountWrongCodes => Set<MainAccountWrongCodeRow>();
    public DbSet<UnbindApplicationRow> UnbindApplications => Set<UnbindApplicationRow>();
    public DbSet<EvidenceFileRow> EvidenceFiles => Set<EvidenceFileRow>();
    public DbSet<SupportTicketRow> SupportTickets => Set<SupportTicketRow>();
    public DbSet<TicketMessageRow> TicketMessages => Set<TicketMessageRow>();
    public DbSet<AccountCorrectionRow> AccountCorrections => Set<AccountCorrectionRow>();
    public DbSet<ChatAgentRow> ChatAgents => Set<ChatAgentRow>();
    public DbSet<ConversationRow> Conversations => Set<ConversationRow>();
    public DbSet<DelegationRow> Delegations => Set<DelegationRow>();
    public DbSet<LoginRow> Logins => Set<LoginRow>();
    public DbSet<WebhookSubscriptionRow> WebhookSubscriptions => Set<WebhookSubscriptionRow>();
    public DbSet<WebhookDeliveryRow> WebhookDeliveries => Set<WebhookDeliveryRow>();
    public DbSet<WebhookAttemptRow> WebhookAttempts => Set<WebhookAttemptRow>();

    /// <summary>The Data Protection key ring (migration 0007), read and written by the framework only.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The SQL filter of live bindings: the states that hold an account (TS-B3).</summary>
    public const string LiveFilter = "\"State\" IN ('invited', 'active', 'unlink_requested')";

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // Instants are stored as UTC ticks: exact, sortable and comparable in SQL on every provider.
        builder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        builder.Properties<MerchantType>().HaveConversion<WireConverter<MerchantType>>().HaveMaxLength(32);
        builder.Properties<ShopKind>().HaveConversion<WireConverter<ShopKind>>().HaveMaxLength(32);
        builder.Properties<ShopStatus>().HaveConversion<WireConverter<ShopStatus>>().HaveMaxLength(32);
        builder.Properties<AccountOrigin>().HaveConversion<WireConverter<AccountOrigin>>().HaveMaxLength(32);
        builder.Properties<AccountStatus>().HaveConversion<WireConverter<AccountStatus>>().HaveMaxLength(32);
        builder.Properties<BindingRole>().HaveConversion<WireConverter<BindingRole>>().HaveMaxLength(32);
        builder.Properties<BindingState>().HaveConversion<WireConverter<BindingState>>().HaveMaxLength(32);
        builder.Properties<UnlinkState>().HaveConversion<WireConverter<UnlinkState>>().HaveMaxLength(32);
        builder.Properties<AccountType>().HaveConversion<WireConverter<AccountType>>().HaveMaxLength(32);
        builder.Properties<ApplicationState>().HaveConversion<WireConverter<ApplicationState>>().HaveMaxLength(32);
        builder.Properties<MainAccountChangeState>().HaveConversion<WireConverter<MainAccountChangeState>>().HaveMaxLength(32);
        builder.Properties<TicketState>().HaveConversion<WireConverter<TicketState>>().HaveMaxLength(32);
        builder.Properties<TicketSubject>().HaveConversion<WireConverter<TicketSubject>>().HaveMaxLength(32);
        builder.Properties<AgentStatus>().HaveConversion<WireConverter<AgentStatus>>().HaveMaxLength(32);
        builder.Properties<ConversationState>().HaveConversion<WireConverter<ConversationState>>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<ShopRow>(e =>
        {
            e.ToTable("shops");
            e.HasKey(x => x.Id);
        });
        b.Entity<AccountRow>(e =>
        {
            e.ToTable("accounts");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Handle).IsUnique();
        });
        b.Entity<BindingRow>(e =>
        {
            e.ToTable("bindings");
            e.HasKey(x => x.Id);
            // TS-B3 in the schema: at most one live binding per account, whatever the code above does.
            e.HasIndex(x => x.AccountId).IsUnique().HasFilter(LiveFilter).HasDatabaseName("ux_bindings_live_account");
            e.HasIndex(x => new { x.AccountId, x.ActivatedAt });
            e.HasIndex(x => new { x.ShopId, x.State });
            e.HasIndex(x => new { x.State, x.ExpiresAt });
        });
        b.Entity<UnlinkRequestRow>(e =>
        {
            e.ToTable("unlink_requests");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.BindingId).IsUnique().HasFilter("\"State\" = 'pending'").HasDatabaseName("ux_unlink_pending_binding");
            e.HasIndex(x => new { x.State, x.AutoApproveAt });
            e.HasIndex(x => new { x.ShopId, x.State });
        });
        b.Entity<HistoryRow>(e =>
        {
            e.ToTable("history");
            e.HasKey(x => x.Seq);
            e.HasIndex(x => new { x.ShopId, x.Seq });
            e.HasIndex(x => new { x.AccountId, x.Seq });
        });
        b.Entity<EventRow>(e =>
        {
            e.ToTable("events");
            e.HasKey(x => x.Seq);
            e.HasIndex(x => new { x.ShopId, x.Seq });
            e.HasIndex(x => new { x.AccountId, x.Seq });
        });
        b.Entity<TokenRow>(e =>
        {
            e.ToTable("tokens");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Hash).IsUnique();
        });
        b.Entity<IdempotencyRow>(e =>
        {
            e.ToTable("idempotency");
            e.HasKey(x => new { x.Principal, x.Key });
        });
        b.Entity<SettingRow>(e =>
        {
            e.ToTable("settings");
            e.HasKey(x => x.Key);
        });
        b.Entity<ShopRow>().HasIndex(x => new { x.Status, x.ClosesAt });
        b.Entity<AccountRow>().HasIndex(x => x.BindingsEndAt);
        b.Entity<MainAccountChangeRow>(e =>
        {
            e.ToTable("main_account_changes");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ShopId, x.StartedAt });
            // One change in progress per shop.
            e.HasIndex(x => x.ShopId).IsUnique().HasFilter("\"State\" = 'awaiting_code'").HasDatabaseName("ux_main_change_open");
        });
        b.Entity<MainAccountWrongCodeRow>(e =>
        {
            e.ToTable("main_account_wrong_codes");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ShopId, x.At });
        });
        b.Entity<UnbindApplicationRow>(e =>
        {
            e.ToTable("unbind_applications");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ShopId, x.SubmittedAt });
            e.HasIndex(x => new { x.State, x.DueAt });
            // One open application per binding (DY-A2: a new one only after a rejection).
            e.HasIndex(x => x.BindingId).IsUnique().HasFilter("\"State\" IN ('submitted', 'under_review')").HasDatabaseName("ux_application_open");
        });
        b.Entity<EvidenceFileRow>(e =>
        {
            e.ToTable("evidence_files");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.ApplicationId);
        });
        SupportModel.Configure(b);
        b.Entity<DelegationRow>(e =>
        {
            e.ToTable("delegations");
            e.HasKey(x => x.Id);
            // DY-D2: many-to-many, but one live authorization per (main, sub) pair.
            e.HasIndex(x => new { x.MainAccountId, x.SubAccountId }).IsUnique().HasFilter("\"RevokedAt\" IS NULL").HasDatabaseName("ux_delegations_live");
            e.HasIndex(x => x.SubAccountId);
        });
        b.Entity<LoginRow>(e =>
        {
            e.ToTable("logins");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Username).IsUnique();
        });
        b.Entity<EventRow>().HasIndex(x => x.Seq).HasFilter("\"FanoutPending\"").HasDatabaseName("ix_events_fanout_pending");
        b.Entity<WebhookSubscriptionRow>(e =>
        {
            e.ToTable("webhook_subscriptions");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ShopId, x.CreatedAt }).HasDatabaseName("ix_webhook_subscriptions_shop");
        });
        b.Entity<WebhookDeliveryRow>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.SubscriptionId, x.EventSeq }).IsUnique().HasDatabaseName("ux_webhook_deliveries_event");
            e.HasIndex(x => new { x.State, x.NextAttemptAt }).HasDatabaseName("ix_webhook_deliveries_due");
            e.HasIndex(x => new { x.SubscriptionId, x.OrderKey, x.State, x.EventSeq }).HasDatabaseName("ix_webhook_deliveries_order");
        });
        b.Entity<WebhookAttemptRow>(e =>
        {
            e.ToTable("webhook_attempts");
            e.HasKey(x => x.Seq);
            e.HasIndex(x => new { x.DeliveryId, x.Seq }).HasDatabaseName("ix_webhook_attempts_delivery");
        });
        b.Entity<DataProtectionKey>(e =>
        {
            e.ToTable("DataProtectionKeys");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
        });
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));

    private sealed class WireConverter<T>() : ValueConverter<T, string>(ToWire, FromWire) where T : struct, Enum
    {
        private static readonly Expression<Func<T, string>> ToWire = v => Wire.Name(v);
        private static readonly Expression<Func<string, T>> FromWire = s => Wire.Parse<T>(s);
    }
}

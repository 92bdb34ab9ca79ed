-- X-2 webhooks: subscriptions, an outbox of deliveries with leases, and every attempt. Plain portable SQL:
-- TEXT/INTEGER columns, instants as UTC ticks, booleans as 0/1 (boolean on PostgreSQL).

-- The outbox marker: set on every event in the transaction that appends it, cleared once the event has been
-- fanned out into deliveries. Events stored before this migration are not delivered (no subscription existed).
ALTER TABLE "events" ADD COLUMN "FanoutPending" INTEGER NOT NULL DEFAULT 0;

CREATE INDEX "ix_events_fanout_pending" ON "events" ("Seq") WHERE "FanoutPending";

CREATE TABLE "webhook_subscriptions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_webhook_subscriptions" PRIMARY KEY,
    "ShopId" TEXT NULL,
    "Url" TEXT NOT NULL,
    "Secret" TEXT NOT NULL,
    "EventTypes" TEXT NULL,
    "Description" TEXT NULL,
    "Enabled" INTEGER NOT NULL,
    "AfterSeq" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "DisabledAt" INTEGER NULL,
    "DisabledBy" TEXT NULL
);

CREATE INDEX "ix_webhook_subscriptions_shop" ON "webhook_subscriptions" ("ShopId", "CreatedAt");

CREATE TABLE "webhook_deliveries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_webhook_deliveries" PRIMARY KEY,
    "SubscriptionId" TEXT NOT NULL,
    "EventSeq" INTEGER NOT NULL,
    "EventType" TEXT NOT NULL,
    "ShopId" TEXT NULL,
    "OrderKey" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "RoundAttempts" INTEGER NOT NULL,
    "NextAttemptAt" INTEGER NOT NULL,
    "LeasedUntil" INTEGER NULL,
    "LeasedBy" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "LastAttemptAt" INTEGER NULL,
    "LastStatus" INTEGER NULL,
    "LastError" TEXT NULL,
    "DeliveredAt" INTEGER NULL,
    "DeadAt" INTEGER NULL
);

-- One delivery per subscription and event, whichever node fans the event out.
CREATE UNIQUE INDEX "ux_webhook_deliveries_event" ON "webhook_deliveries" ("SubscriptionId", "EventSeq");
CREATE INDEX "ix_webhook_deliveries_due" ON "webhook_deliveries" ("State", "NextAttemptAt");
CREATE INDEX "ix_webhook_deliveries_order" ON "webhook_deliveries" ("SubscriptionId", "OrderKey", "State", "EventSeq");

CREATE TABLE "webhook_attempts" (
    "Seq" INTEGER NOT NULL CONSTRAINT "PK_webhook_attempts" PRIMARY KEY AUTOINCREMENT,
    "DeliveryId" TEXT NOT NULL,
    "SubscriptionId" TEXT NOT NULL,
    "Attempt" INTEGER NOT NULL,
    "At" INTEGER NOT NULL,
    "DurationMs" INTEGER NOT NULL,
    "StatusCode" INTEGER NULL,
    "Error" TEXT NULL,
    "Node" TEXT NOT NULL
);

CREATE INDEX "ix_webhook_attempts_delivery" ON "webhook_attempts" ("DeliveryId", "Seq");

-- ADR 0017: the ASP.NET Core Data Protection key ring, shared by every node through the database, and webhook secrets
-- encrypted with it. The table and columns are those the EF entity DataProtectionKey maps (BinderyDb).
CREATE TABLE "DataProtectionKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DataProtectionKeys" PRIMARY KEY AUTOINCREMENT,
    "FriendlyName" TEXT NULL,
    "Xml" TEXT NULL
);

-- Existing secrets stay clear text (0) until the next start encrypts them (WebhookSecrets.ProtectStoredAsync): SQL
-- cannot call Data Protection. A rotation keeps the replaced secret until the end of its overlap window.
ALTER TABLE "webhook_subscriptions" ADD COLUMN "SecretProtected" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "webhook_subscriptions" ADD COLUMN "PreviousSecret" TEXT NULL;
ALTER TABLE "webhook_subscriptions" ADD COLUMN "PreviousSecretExpiresAt" INTEGER NULL;
ALTER TABLE "webhook_subscriptions" ADD COLUMN "SecretRotatedAt" INTEGER NULL;

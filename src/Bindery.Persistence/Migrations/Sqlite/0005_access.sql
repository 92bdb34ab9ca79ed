-- Issue 4 (access): certification expiry for DY-D1, main/sub delegations (DY-D1..D4), logins for cookie sign-in.
ALTER TABLE "accounts" ADD COLUMN "CertifiedUntil" INTEGER NULL;

CREATE TABLE "delegations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_delegations" PRIMARY KEY,
    "MainAccountId" TEXT NOT NULL,
    "SubAccountId" TEXT NOT NULL,
    "Permissions" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "RevokedAt" INTEGER NULL,
    "RevokedBy" TEXT NULL,
    "RevokeReason" TEXT NULL
);
CREATE UNIQUE INDEX "ux_delegations_live" ON "delegations" ("MainAccountId", "SubAccountId") WHERE "RevokedAt" IS NULL;
CREATE INDEX "IX_delegations_SubAccountId" ON "delegations" ("SubAccountId");

CREATE TABLE "logins" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_logins" PRIMARY KEY,
    "Username" TEXT NOT NULL,
    "PasswordHash" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "ShopId" TEXT NULL,
    "AccountId" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "DisabledAt" INTEGER NULL,
    "FailedAttempts" INTEGER NOT NULL DEFAULT 0,
    "LockedUntil" INTEGER NULL,
    "LastSignInAt" INTEGER NULL
);
CREATE UNIQUE INDEX "IX_logins_Username" ON "logins" ("Username");

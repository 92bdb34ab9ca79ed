-- PostgreSQL twin of Sqlite/0005_access.sql (types as in 0001: bigint ticks, boolean flags, "C" collation).
-- Issue 4 (access): certification expiry for DY-D1, main/sub delegations (DY-D1..D4), logins for cookie sign-in.
ALTER TABLE "accounts" ADD COLUMN "CertifiedUntil" bigint NULL;

CREATE TABLE "delegations" (
    "Id" text COLLATE "C" NOT NULL CONSTRAINT "PK_delegations" PRIMARY KEY,
    "MainAccountId" text COLLATE "C" NOT NULL,
    "SubAccountId" text COLLATE "C" NOT NULL,
    "Permissions" text COLLATE "C" NOT NULL,
    "CreatedAt" bigint NOT NULL,
    "CreatedBy" text COLLATE "C" NOT NULL,
    "RevokedAt" bigint NULL,
    "RevokedBy" text COLLATE "C" NULL,
    "RevokeReason" text COLLATE "C" NULL
);
CREATE UNIQUE INDEX "ux_delegations_live" ON "delegations" ("MainAccountId", "SubAccountId") WHERE "RevokedAt" IS NULL;
CREATE INDEX "IX_delegations_SubAccountId" ON "delegations" ("SubAccountId");

CREATE TABLE "logins" (
    "Id" text COLLATE "C" NOT NULL CONSTRAINT "PK_logins" PRIMARY KEY,
    "Username" text COLLATE "C" NOT NULL,
    "PasswordHash" text COLLATE "C" NOT NULL,
    "Kind" text COLLATE "C" NOT NULL,
    "ShopId" text COLLATE "C" NULL,
    "AccountId" text COLLATE "C" NULL,
    "CreatedAt" bigint NOT NULL,
    "DisabledAt" bigint NULL,
    "FailedAttempts" integer NOT NULL DEFAULT 0,
    "LockedUntil" bigint NULL,
    "LastSignInAt" bigint NULL
);
CREATE UNIQUE INDEX "IX_logins_Username" ON "logins" ("Username");

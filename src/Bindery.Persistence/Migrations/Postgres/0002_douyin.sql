-- PostgreSQL twin of Sqlite/0002_douyin.sql (types as in 0001: bigint ticks, boolean flags, "C" collation).
-- Douyin: main account, closure and deletion dates, account kinds, unbind applications with evidence.
ALTER TABLE "shops" ADD COLUMN "MainAccountId" text COLLATE "C" NULL;
ALTER TABLE "shops" ADD COLUMN "PaymentAccount" text COLLATE "C" NULL;
ALTER TABLE "shops" ADD COLUMN "ClosureNoticeAt" bigint NULL;
ALTER TABLE "shops" ADD COLUMN "ClosesAt" bigint NULL;
ALTER TABLE "accounts" ADD COLUMN "Type" text COLLATE "C" NOT NULL DEFAULT 'personal';
ALTER TABLE "accounts" ADD COLUMN "RealNameVerified" boolean NOT NULL DEFAULT false;
ALTER TABLE "accounts" ADD COLUMN "Phone" text COLLATE "C" NULL;
ALTER TABLE "accounts" ADD COLUMN "HasFormalPaymentAccount" boolean NOT NULL DEFAULT false;
ALTER TABLE "accounts" ADD COLUMN "DeletedAt" bigint NULL;
ALTER TABLE "accounts" ADD COLUMN "BindingsEndAt" bigint NULL;

CREATE TABLE "main_account_changes" (
    "Id" text COLLATE "C" NOT NULL CONSTRAINT "PK_main_account_changes" PRIMARY KEY,
    "ShopId" text COLLATE "C" NOT NULL,
    "FromAccountId" text COLLATE "C" NULL,
    "ToAccountId" text COLLATE "C" NOT NULL,
    "State" text COLLATE "C" NOT NULL,
    "StartedAt" bigint NOT NULL,
    "StartedBy" text COLLATE "C" NOT NULL,
    "CodeHash" text COLLATE "C" NOT NULL,
    "CodeSalt" text COLLATE "C" NOT NULL,
    "SentTo" text COLLATE "C" NOT NULL,
    "CodeExpiresAt" bigint NOT NULL,
    "WindowEndsAt" bigint NOT NULL,
    "WrongCodes" integer NOT NULL,
    "LockedUntil" bigint NULL,
    "EndedAt" bigint NULL
);

CREATE TABLE "unbind_applications" (
    "Id" text COLLATE "C" NOT NULL CONSTRAINT "PK_unbind_applications" PRIMARY KEY,
    "ShopId" text COLLATE "C" NOT NULL,
    "BindingId" text COLLATE "C" NOT NULL,
    "AccountId" text COLLATE "C" NOT NULL,
    "Reason" text COLLATE "C" NOT NULL,
    "ReasonText" text COLLATE "C" NULL,
    "ContactName" text COLLATE "C" NOT NULL,
    "ContactPhone" text COLLATE "C" NOT NULL,
    "State" text COLLATE "C" NOT NULL,
    "SubmittedAt" bigint NOT NULL,
    "SubmittedBy" text COLLATE "C" NOT NULL,
    "UpdatedAt" bigint NOT NULL,
    "EarliestDueAt" bigint NOT NULL,
    "DueAt" bigint NOT NULL,
    "OverdueAt" bigint NULL,
    "ReviewStartedAt" bigint NULL,
    "Reviewer" text COLLATE "C" NULL,
    "DecidedAt" bigint NULL,
    "DecidedBy" text COLLATE "C" NULL,
    "DecisionReason" text COLLATE "C" NULL
);

CREATE TABLE "evidence_files" (
    "Id" text COLLATE "C" NOT NULL CONSTRAINT "PK_evidence_files" PRIMARY KEY,
    "ApplicationId" text COLLATE "C" NOT NULL,
    "ShopId" text COLLATE "C" NOT NULL,
    "Kind" text COLLATE "C" NOT NULL,
    "FileName" text COLLATE "C" NOT NULL,
    "ContentType" text COLLATE "C" NOT NULL,
    "Size" bigint NOT NULL,
    "Sha256" text COLLATE "C" NOT NULL,
    "StoragePath" text COLLATE "C" NOT NULL,
    "UploadedAt" bigint NOT NULL,
    "UploadedBy" text COLLATE "C" NOT NULL
);

CREATE INDEX "IX_evidence_files_ApplicationId" ON "evidence_files" ("ApplicationId");
CREATE INDEX "IX_main_account_changes_ShopId_StartedAt" ON "main_account_changes" ("ShopId", "StartedAt");
CREATE UNIQUE INDEX "ux_main_change_open" ON "main_account_changes" ("ShopId") WHERE "State" = 'awaiting_code';
CREATE INDEX "IX_unbind_applications_ShopId_SubmittedAt" ON "unbind_applications" ("ShopId", "SubmittedAt");
CREATE INDEX "IX_unbind_applications_State_DueAt" ON "unbind_applications" ("State", "DueAt");
CREATE UNIQUE INDEX "ux_application_open" ON "unbind_applications" ("BindingId") WHERE "State" IN ('submitted', 'under_review');
CREATE INDEX "IX_accounts_BindingsEndAt" ON "accounts" ("BindingsEndAt");
CREATE INDEX "IX_shops_Status_ClosesAt" ON "shops" ("Status", "ClosesAt");

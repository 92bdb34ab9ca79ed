-- Douyin: main account, closure and deletion dates, account kinds, unbind applications with evidence.
ALTER TABLE "shops" ADD COLUMN "MainAccountId" TEXT NULL;
ALTER TABLE "shops" ADD COLUMN "PaymentAccount" TEXT NULL;
ALTER TABLE "shops" ADD COLUMN "ClosureNoticeAt" INTEGER NULL;
ALTER TABLE "shops" ADD COLUMN "ClosesAt" INTEGER NULL;
ALTER TABLE "accounts" ADD COLUMN "Type" TEXT NOT NULL DEFAULT 'personal';
ALTER TABLE "accounts" ADD COLUMN "RealNameVerified" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "accounts" ADD COLUMN "Phone" TEXT NULL;
ALTER TABLE "accounts" ADD COLUMN "HasFormalPaymentAccount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "accounts" ADD COLUMN "DeletedAt" INTEGER NULL;
ALTER TABLE "accounts" ADD COLUMN "BindingsEndAt" INTEGER NULL;

CREATE TABLE "main_account_changes" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_main_account_changes" PRIMARY KEY,
    "ShopId" TEXT NOT NULL,
    "FromAccountId" TEXT NULL,
    "ToAccountId" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "StartedAt" INTEGER NOT NULL,
    "StartedBy" TEXT NOT NULL,
    "CodeHash" TEXT NOT NULL,
    "CodeSalt" TEXT NOT NULL,
    "SentTo" TEXT NOT NULL,
    "CodeExpiresAt" INTEGER NOT NULL,
    "WindowEndsAt" INTEGER NOT NULL,
    "WrongCodes" INTEGER NOT NULL,
    "LockedUntil" INTEGER NULL,
    "EndedAt" INTEGER NULL
);

CREATE TABLE "unbind_applications" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_unbind_applications" PRIMARY KEY,
    "ShopId" TEXT NOT NULL,
    "BindingId" TEXT NOT NULL,
    "AccountId" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "ReasonText" TEXT NULL,
    "ContactName" TEXT NOT NULL,
    "ContactPhone" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "SubmittedAt" INTEGER NOT NULL,
    "SubmittedBy" TEXT NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "EarliestDueAt" INTEGER NOT NULL,
    "DueAt" INTEGER NOT NULL,
    "OverdueAt" INTEGER NULL,
    "ReviewStartedAt" INTEGER NULL,
    "Reviewer" TEXT NULL,
    "DecidedAt" INTEGER NULL,
    "DecidedBy" TEXT NULL,
    "DecisionReason" TEXT NULL
);

CREATE TABLE "evidence_files" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_evidence_files" PRIMARY KEY,
    "ApplicationId" TEXT NOT NULL,
    "ShopId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "FileName" TEXT NOT NULL,
    "ContentType" TEXT NOT NULL,
    "Size" INTEGER NOT NULL,
    "Sha256" TEXT NOT NULL,
    "StoragePath" TEXT NOT NULL,
    "UploadedAt" INTEGER NOT NULL,
    "UploadedBy" TEXT NOT NULL
);

CREATE INDEX "IX_evidence_files_ApplicationId" ON "evidence_files" ("ApplicationId");
CREATE INDEX "IX_main_account_changes_ShopId_StartedAt" ON "main_account_changes" ("ShopId", "StartedAt");
CREATE UNIQUE INDEX "ux_main_change_open" ON "main_account_changes" ("ShopId") WHERE "State" = 'awaiting_code';
CREATE INDEX "IX_unbind_applications_ShopId_SubmittedAt" ON "unbind_applications" ("ShopId", "SubmittedAt");
CREATE INDEX "IX_unbind_applications_State_DueAt" ON "unbind_applications" ("State", "DueAt");
CREATE UNIQUE INDEX "ux_application_open" ON "unbind_applications" ("BindingId") WHERE "State" IN ('submitted', 'under_review');
CREATE INDEX "IX_accounts_BindingsEndAt" ON "accounts" ("BindingsEndAt");
CREATE INDEX "IX_shops_Status_ClosesAt" ON "shops" ("Status", "ClosesAt");

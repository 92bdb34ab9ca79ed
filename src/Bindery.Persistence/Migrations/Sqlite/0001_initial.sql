CREATE TABLE "accounts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_accounts" PRIMARY KEY,
    "Handle" TEXT NOT NULL,
    "Origin" TEXT NOT NULL,
    "RegistrationCountry" TEXT NOT NULL,
    "BirthDate" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);


CREATE TABLE "bindings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_bindings" PRIMARY KEY,
    "ShopId" TEXT NOT NULL,
    "AccountId" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "InvitedAt" INTEGER NOT NULL,
    "InvitedBy" TEXT NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "AnsweredAt" INTEGER NULL,
    "ActivatedAt" INTEGER NULL,
    "EndedAt" INTEGER NULL,
    "EndedBy" TEXT NULL,
    "EndReason" TEXT NULL
);


CREATE TABLE "events" (
    "Seq" INTEGER NOT NULL CONSTRAINT "PK_events" PRIMARY KEY AUTOINCREMENT,
    "At" INTEGER NOT NULL,
    "Type" TEXT NOT NULL,
    "ShopId" TEXT NULL,
    "AccountId" TEXT NULL,
    "SubjectId" TEXT NOT NULL,
    "Data" TEXT NOT NULL
);


CREATE TABLE "history" (
    "Seq" INTEGER NOT NULL CONSTRAINT "PK_history" PRIMARY KEY AUTOINCREMENT,
    "At" INTEGER NOT NULL,
    "Actor" TEXT NOT NULL,
    "OnBehalfOf" TEXT NULL,
    "ClientAddress" TEXT NULL,
    "ShopId" TEXT NULL,
    "AccountId" TEXT NULL,
    "SubjectType" TEXT NOT NULL,
    "SubjectId" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "Before" TEXT NULL,
    "After" TEXT NULL
);


CREATE TABLE "idempotency" (
    "Principal" TEXT NOT NULL,
    "Key" TEXT NOT NULL,
    "RequestHash" TEXT NOT NULL,
    "StatusCode" INTEGER NOT NULL,
    "Body" TEXT NOT NULL,
    "Location" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_idempotency" PRIMARY KEY ("Principal", "Key")
);


CREATE TABLE "settings" (
    "Key" TEXT NOT NULL CONSTRAINT "PK_settings" PRIMARY KEY,
    "Value" TEXT NOT NULL
);


CREATE TABLE "shops" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_shops" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "PolicyId" TEXT NOT NULL,
    "Country" TEXT NOT NULL,
    "MerchantType" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "ProbationEndsAt" INTEGER NULL,
    "Status" TEXT NOT NULL,
    "EcommercePermission" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);


CREATE TABLE "tokens" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_tokens" PRIMARY KEY,
    "Hash" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "ShopId" TEXT NULL,
    "AccountId" TEXT NULL,
    "Name" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NULL,
    "RevokedAt" INTEGER NULL
);


CREATE TABLE "unlink_requests" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_unlink_requests" PRIMARY KEY,
    "BindingId" TEXT NOT NULL,
    "ShopId" TEXT NOT NULL,
    "AccountId" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "RequestedAt" INTEGER NOT NULL,
    "RequestedBy" TEXT NOT NULL,
    "AutoApproveAt" INTEGER NOT NULL,
    "DecidedAt" INTEGER NULL,
    "DecidedBy" TEXT NULL,
    "DecisionNote" TEXT NULL
);


CREATE UNIQUE INDEX "IX_accounts_Handle" ON "accounts" ("Handle");


CREATE INDEX "IX_bindings_AccountId_ActivatedAt" ON "bindings" ("AccountId", "ActivatedAt");


CREATE INDEX "IX_bindings_ShopId_State" ON "bindings" ("ShopId", "State");


CREATE INDEX "IX_bindings_State_ExpiresAt" ON "bindings" ("State", "ExpiresAt");


CREATE UNIQUE INDEX "ux_bindings_live_account" ON "bindings" ("AccountId") WHERE "State" IN ('invited', 'active', 'unlink_requested');


CREATE INDEX "IX_events_AccountId_Seq" ON "events" ("AccountId", "Seq");


CREATE INDEX "IX_events_ShopId_Seq" ON "events" ("ShopId", "Seq");


CREATE INDEX "IX_history_AccountId_Seq" ON "history" ("AccountId", "Seq");


CREATE INDEX "IX_history_ShopId_Seq" ON "history" ("ShopId", "Seq");


CREATE UNIQUE INDEX "IX_tokens_Hash" ON "tokens" ("Hash");


CREATE INDEX "IX_unlink_requests_ShopId_State" ON "unlink_requests" ("ShopId", "State");


CREATE INDEX "IX_unlink_requests_State_AutoApproveAt" ON "unlink_requests" ("State", "AutoApproveAt");


CREATE UNIQUE INDEX "ux_unlink_pending_binding" ON "unlink_requests" ("BindingId") WHERE "State" = 'pending';



-- X-3 / TS-E7: support tickets on invitations, their messages and the account corrections made on them.
-- DY-D5: customer-service agents (sub accounts) and customer conversations routed among them.
CREATE TABLE "support_tickets" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_support_tickets" PRIMARY KEY,
    "ShopId" TEXT NOT NULL,
    "Subject" TEXT NOT NULL,
    "BindingId" TEXT NULL,
    "AccountId" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "OpenedAt" INTEGER NOT NULL,
    "OpenedBy" TEXT NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "DueAt" INTEGER NULL,
    "ClosedAt" INTEGER NULL,
    "ClosedBy" TEXT NULL,
    "CloseReason" TEXT NULL
);
CREATE INDEX "IX_support_tickets_ShopId_OpenedAt" ON "support_tickets" ("ShopId", "OpenedAt");
CREATE INDEX "IX_support_tickets_State_DueAt" ON "support_tickets" ("State", "DueAt");
-- One open ticket per shop and account: a second one would split the conversation.
CREATE UNIQUE INDEX "ux_ticket_open" ON "support_tickets" ("ShopId", "AccountId") WHERE "State" <> 'closed';

CREATE TABLE "ticket_messages" (
    "Seq" INTEGER NOT NULL CONSTRAINT "PK_ticket_messages" PRIMARY KEY AUTOINCREMENT,
    "TicketId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Author" TEXT NOT NULL,
    "AuthorRole" TEXT NOT NULL,
    "Body" TEXT NOT NULL
);
CREATE INDEX "IX_ticket_messages_TicketId_Seq" ON "ticket_messages" ("TicketId", "Seq");

CREATE TABLE "account_corrections" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_account_corrections" PRIMARY KEY,
    "TicketId" TEXT NOT NULL,
    "AccountId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "By" TEXT NOT NULL,
    "Before" TEXT NOT NULL,
    "After" TEXT NOT NULL,
    "Note" TEXT NULL
);
CREATE INDEX "IX_account_corrections_TicketId" ON "account_corrections" ("TicketId");

CREATE TABLE "chat_agents" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_chat_agents" PRIMARY KEY,
    "ShopId" TEXT NOT NULL,
    "AccountId" TEXT NOT NULL,
    "Group" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Capacity" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "StatusChangedAt" INTEGER NOT NULL,
    "LastAssignedAt" INTEGER NULL
);
CREATE UNIQUE INDEX "ux_chat_agent_shop_account" ON "chat_agents" ("ShopId", "AccountId");
CREATE INDEX "IX_chat_agents_ShopId_Group" ON "chat_agents" ("ShopId", "Group");

CREATE TABLE "conversations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_conversations" PRIMARY KEY,
    "ShopId" TEXT NOT NULL,
    "CustomerRef" TEXT NOT NULL,
    "Group" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "AgentId" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "AssignedAt" INTEGER NULL,
    "Reassignments" INTEGER NOT NULL DEFAULT 0,
    "ClosedAt" INTEGER NULL,
    "ClosedBy" TEXT NULL
);
CREATE INDEX "IX_conversations_ShopId_Group_State_CreatedAt" ON "conversations" ("ShopId", "Group", "State", "CreatedAt");
CREATE INDEX "IX_conversations_AgentId_State" ON "conversations" ("AgentId", "State");
-- One open conversation per customer of a shop: a customer writing again joins it.
CREATE UNIQUE INDEX "ux_conversation_open_customer" ON "conversations" ("ShopId", "CustomerRef") WHERE "State" <> 'closed';

-- PostgreSQL twin of Sqlite/0008_lifecycle_guards.sql (types as in 0001: bigint ticks, "C" collation).
-- DY-M4: every wrong main-account code entered, per shop, so the lock counts a shop's wrong codes across changes
-- (cancelling or restarting a change resets nothing). Rows are kept; the rules read those of the last lockFor.
CREATE TABLE "main_account_wrong_codes" (
    "Id" text COLLATE "C" NOT NULL CONSTRAINT "PK_main_account_wrong_codes" PRIMARY KEY,
    "ShopId" text COLLATE "C" NOT NULL,
    "ChangeId" text COLLATE "C" NOT NULL,
    "At" bigint NOT NULL
);
CREATE INDEX "IX_main_account_wrong_codes_ShopId_At" ON "main_account_wrong_codes" ("ShopId", "At");

-- DY-M4: every wrong main-account code entered, per shop, so the lock counts a shop's wrong codes across changes
-- (cancelling or restarting a change resets nothing). Rows are kept; the rules read those of the last lockFor.
CREATE TABLE "main_account_wrong_codes" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_main_account_wrong_codes" PRIMARY KEY,
    "ShopId" TEXT NOT NULL,
    "ChangeId" TEXT NOT NULL,
    "At" INTEGER NOT NULL
);
CREATE INDEX "IX_main_account_wrong_codes_ShopId_At" ON "main_account_wrong_codes" ("ShopId", "At");

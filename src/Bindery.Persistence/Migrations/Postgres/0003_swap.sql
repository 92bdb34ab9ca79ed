-- Z-4: an official-account swap is an invitation that replaces the current official binding when accepted.
ALTER TABLE "bindings" ADD COLUMN "ReplacesBindingId" text COLLATE "C" NULL;

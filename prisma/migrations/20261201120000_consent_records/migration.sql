-- Consent records (docs/decisions/023-consent-records.md): the wording stored once per version, the
-- parameters on each record, the personal part apart so it can go with the user, outcomes copied so they
-- outlive the connection. No semicolons inside statements or comments: the migrate engine splits on them,
-- so function bodies spell theirs as the escape \073.

DROP RULE "Reconfirmation_no_update" ON "Reconfirmation";
DROP RULE "ReconfirmationItem_no_update" ON "ReconfirmationItem";
DROP RULE "ConnectionEvent_no_update" ON "ConnectionEvent";

ALTER TABLE "Reconfirmation" DROP CONSTRAINT "Reconfirmation_userId_fkey";
ALTER TABLE "ReconfirmationItem" DROP CONSTRAINT "ReconfirmationItem_connectionId_fkey";
ALTER TABLE "ConnectionEvent" DROP CONSTRAINT "ConnectionEvent_reconfirmationId_fkey";
DROP INDEX "Reconfirmation_userId_createdAt_idx";

ALTER TABLE "User" ADD COLUMN "deletionRequestedAt" TIMESTAMP(3);

CREATE TABLE "ConsentWording" (
    "version" INTEGER NOT NULL,
    "template" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentWording_pkey" PRIMARY KEY ("version")
);

CREATE TABLE "ReconfirmationOwner" (
    "reconfirmationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "accounts" JSONB NOT NULL,

    CONSTRAINT "ReconfirmationOwner_pkey" PRIMARY KEY ("reconfirmationId")
);

CREATE TABLE "ReconfirmationOutcome" (
    "id" TEXT NOT NULL,
    "reconfirmationId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "type" "ConnectionEventType" NOT NULL,
    "reason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReconfirmationOutcome_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "PendingRevoke" (
    "id" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "providerName" TEXT NOT NULL,
    "accessTokenSealed" TEXT,
    "refreshTokenSealed" TEXT,
    "tokenKeyId" TEXT,
    "accessTokenExpiresAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PendingRevoke_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "Reconfirmation" ADD COLUMN "parameters" JSONB,
ADD COLUMN "subject" TEXT,
ADD COLUMN "wordingVersion" INTEGER;

ALTER TABLE "ReconfirmationItem" ADD COLUMN "providerId" TEXT,
ADD COLUMN "providerName" TEXT;

-- Rows written before this migration: their owner, bank and outcomes move to the new places.
INSERT INTO "ReconfirmationOwner" ("reconfirmationId", "userId", "accounts")
SELECT r."id", r."userId", COALESCE((
    SELECT jsonb_object_agg(i."connectionId", (
        SELECT COALESCE(jsonb_agg(jsonb_build_object('id', a)), '[]'::jsonb) FROM unnest(i."accountIds") a))
    FROM "ReconfirmationItem" i WHERE i."reconfirmationId" = r."id"), '{}'::jsonb)
FROM "Reconfirmation" r;

UPDATE "ReconfirmationItem" i SET "providerId" = c."providerId", "providerName" = c."providerName"
FROM "Connection" c WHERE c."id" = i."connectionId";

INSERT INTO "ReconfirmationOutcome" ("id", "reconfirmationId", "connectionId", "type", "reason", "createdAt")
SELECT e."id", e."reconfirmationId", e."connectionId", e."type", e."reason", e."createdAt"
FROM "ConnectionEvent" e
WHERE e."reconfirmationId" IS NOT NULL AND e."type" IN ('EXTENDED', 'SENT_TO_BANK', 'COMPLETED_AT_BANK', 'FAILED');

ALTER TABLE "Reconfirmation" DROP COLUMN "userId";
ALTER TABLE "ReconfirmationItem" DROP COLUMN "accountIds";

CREATE INDEX "ReconfirmationOwner_userId_idx" ON "ReconfirmationOwner"("userId");
CREATE INDEX "ReconfirmationOutcome_reconfirmationId_connectionId_idx" ON "ReconfirmationOutcome"("reconfirmationId", "connectionId");
CREATE INDEX "PendingRevoke_nextAttemptAt_idx" ON "PendingRevoke"("nextAttemptAt");
CREATE INDEX "Reconfirmation_createdAt_idx" ON "Reconfirmation"("createdAt");
CREATE INDEX "AuthState_expiresAt_idx" ON "AuthState"("expiresAt");
CREATE INDEX "CodeExchange_createdAt_idx" ON "CodeExchange"("createdAt");

ALTER TABLE "Reconfirmation" ADD CONSTRAINT "Reconfirmation_wordingVersion_fkey" FOREIGN KEY ("wordingVersion") REFERENCES "ConsentWording"("version") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ReconfirmationOwner" ADD CONSTRAINT "ReconfirmationOwner_reconfirmationId_fkey" FOREIGN KEY ("reconfirmationId") REFERENCES "Reconfirmation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ReconfirmationOwner" ADD CONSTRAINT "ReconfirmationOwner_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ReconfirmationOutcome" ADD CONSTRAINT "ReconfirmationOutcome_reconfirmationId_fkey" FOREIGN KEY ("reconfirmationId") REFERENCES "Reconfirmation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ConnectionEvent" ADD CONSTRAINT "ConnectionEvent_reconfirmationId_fkey" FOREIGN KEY ("reconfirmationId") REFERENCES "Reconfirmation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Append-only, loudly: an UPDATE raises instead of silently changing nothing (the old rules did that).
CREATE FUNCTION "reconsent_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN RAISE EXCEPTION ''% is append-only: % refused'', TG_TABLE_NAME, TG_OP USING ERRCODE = ''restrict_violation''\073 END';

CREATE TRIGGER "Reconfirmation_append_only" BEFORE UPDATE ON "Reconfirmation" FOR EACH ROW EXECUTE FUNCTION "reconsent_refuse_change"();
CREATE TRIGGER "ReconfirmationItem_append_only" BEFORE UPDATE ON "ReconfirmationItem" FOR EACH ROW EXECUTE FUNCTION "reconsent_refuse_change"();
CREATE TRIGGER "ReconfirmationOwner_append_only" BEFORE UPDATE ON "ReconfirmationOwner" FOR EACH ROW EXECUTE FUNCTION "reconsent_refuse_change"();
CREATE TRIGGER "ReconfirmationOutcome_append_only" BEFORE UPDATE ON "ReconfirmationOutcome" FOR EACH ROW EXECUTE FUNCTION "reconsent_refuse_change"();
CREATE TRIGGER "ConnectionEvent_append_only" BEFORE UPDATE ON "ConnectionEvent" FOR EACH ROW EXECUTE FUNCTION "reconsent_refuse_change"();
CREATE TRIGGER "ConsentWording_append_only" BEFORE UPDATE OR DELETE ON "ConsentWording" FOR EACH ROW EXECUTE FUNCTION "reconsent_refuse_change"();

-- A result event of a reconfirmation is copied into the consent record as it is written.
CREATE FUNCTION "reconsent_copy_outcome"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS E'BEGIN INSERT INTO "ReconfirmationOutcome" ("id", "reconfirmationId", "connectionId", "type", "reason", "createdAt") VALUES (NEW."id", NEW."reconfirmationId", NEW."connectionId", NEW."type", NEW."reason", NEW."createdAt")\073 RETURN NULL\073 END';

CREATE TRIGGER "ConnectionEvent_copy_outcome" AFTER INSERT ON "ConnectionEvent" FOR EACH ROW
WHEN (NEW."reconfirmationId" IS NOT NULL AND NEW."type" IN ('EXTENDED', 'SENT_TO_BANK', 'COMPLETED_AT_BANK', 'FAILED'))
EXECUTE FUNCTION "reconsent_copy_outcome"();

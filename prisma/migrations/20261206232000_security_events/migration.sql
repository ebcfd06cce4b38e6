-- CreateEnum
CREATE TYPE "SecurityEventKind" AS ENUM ('SIGN_IN', 'SIGN_IN_FAILED', 'SIGN_IN_REFUSED', 'SIGN_OUT_EVERYWHERE', 'DATA_DOWNLOADED', 'ACCOUNT_DELETED', 'AUDIT_EXPORTED', 'OPERATOR_ROLE_CHANGED', 'OPERATOR_PAGE_VIEWED', 'BANK_RETURN_REFUSED', 'REVOKE_FAILED');

-- CreateTable
CREATE TABLE "SecurityEvent" (
    "id" TEXT NOT NULL,
    "kind" "SecurityEventKind" NOT NULL,
    "userId" TEXT,
    "reason" TEXT,
    "subjectHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SecurityEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SecurityEvent_userId_createdAt_idx" ON "SecurityEvent"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "SecurityEvent_createdAt_idx" ON "SecurityEvent"("createdAt");

-- AddForeignKey
ALTER TABLE "SecurityEvent" ADD CONSTRAINT "SecurityEvent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Append-only: rows are added, and deleted only by retention or with their account (decision 042)
CREATE TRIGGER "SecurityEvent_append_only" BEFORE UPDATE ON "SecurityEvent" FOR EACH ROW EXECUTE FUNCTION "reconsent_refuse_change"();

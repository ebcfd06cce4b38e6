-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "ConnectionEvent" ADD COLUMN     "browserHash" TEXT;

-- AlterTable
ALTER TABLE "AuthState" ADD COLUMN     "browserHash" TEXT;

-- CreateTable
CREATE TABLE "ParkedReturn" (
    "id" TEXT NOT NULL,
    "exchangeId" TEXT NOT NULL,
    "purpose" "AuthStatePurpose" NOT NULL,
    "ownerId" TEXT,
    "connectionIds" TEXT[],
    "providerId" TEXT NOT NULL,
    "browserHash" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ParkedReturn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CallbackPost" (
    "id" TEXT NOT NULL,
    "paramsSealed" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CallbackPost_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ParkedReturn_exchangeId_key" ON "ParkedReturn"("exchangeId");

-- CreateIndex
CREATE INDEX "ParkedReturn_expiresAt_idx" ON "ParkedReturn"("expiresAt");

-- CreateIndex
CREATE INDEX "ConnectionEvent_type_createdAt_idx" ON "ConnectionEvent"("type", "createdAt");


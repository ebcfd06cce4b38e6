-- CreateTable
CREATE TABLE "ReminderLink" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "connectionIds" TEXT[],
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "sessionHash" TEXT,
    "sessionExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReminderLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReminderLink_tokenHash_key" ON "ReminderLink"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "ReminderLink_sessionHash_key" ON "ReminderLink"("sessionHash");

-- CreateIndex
CREATE INDEX "ReminderLink_userId_idx" ON "ReminderLink"("userId");

-- CreateIndex
CREATE INDEX "ReminderLink_expiresAt_idx" ON "ReminderLink"("expiresAt");

-- AddForeignKey
ALTER TABLE "ReminderLink" ADD CONSTRAINT "ReminderLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


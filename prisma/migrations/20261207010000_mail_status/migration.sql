-- CreateTable
CREATE TABLE "MailStatus" (
    "id" TEXT NOT NULL,
    "lastSentAt" TIMESTAMP(3),
    "lastFailedAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "MailStatus_pkey" PRIMARY KEY ("id")
);


-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "leaseId" TEXT,
ADD COLUMN     "leasePurpose" TEXT;


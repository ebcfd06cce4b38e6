-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "unattendedReadsPausedUntil" TIMESTAMP(3);


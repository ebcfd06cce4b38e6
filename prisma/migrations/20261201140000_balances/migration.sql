-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "balancesCheckedAt" TIMESTAMP(3),
ADD COLUMN     "unattendedReadsAt" TIMESTAMP(3)[];

-- AlterTable
ALTER TABLE "BankAccount" ADD COLUMN     "balanceAvailable" DECIMAL(18,2),
ADD COLUMN     "balanceCurrency" TEXT,
ADD COLUMN     "balanceCurrent" DECIMAL(18,2),
ADD COLUMN     "balanceReadAt" TIMESTAMP(3);


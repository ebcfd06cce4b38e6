-- AlterTable
ALTER TABLE "User" ADD COLUMN     "truelayerUserId" UUID NOT NULL DEFAULT gen_random_uuid();

-- AlterTable
ALTER TABLE "BankAccount" ADD COLUMN     "fingerprint" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "User_truelayerUserId_key" ON "User"("truelayerUserId");


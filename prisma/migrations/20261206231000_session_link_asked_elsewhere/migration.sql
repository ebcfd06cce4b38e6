-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "linkAskedElsewhere" BOOLEAN NOT NULL DEFAULT false;


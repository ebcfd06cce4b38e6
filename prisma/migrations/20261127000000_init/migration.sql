-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ConnectionStatus" AS ENUM ('ACTIVE', 'NEEDS_BANK_AUTH', 'REVOKED');

-- CreateEnum
CREATE TYPE "ConnectionEventType" AS ENUM ('CONNECTED', 'RECONNECTED', 'EXTENDED', 'SENT_TO_BANK', 'COMPLETED_AT_BANK', 'DECLINED', 'FAILED', 'REVOKED');

-- CreateEnum
CREATE TYPE "AuthStatePurpose" AS ENUM ('CONNECT', 'RECONNECT', 'EXTEND');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "emailVerified" TIMESTAMP(3),
    "image" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "sessionToken" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerificationToken" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL
);

-- CreateTable
CREATE TABLE "Connection" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "providerName" TEXT NOT NULL,
    "providerLogoUrl" TEXT,
    "credentialsId" TEXT,
    "scopes" TEXT[],
    "accessTokenSealed" TEXT,
    "refreshTokenSealed" TEXT,
    "tokenKeyId" TEXT,
    "accessTokenExpiresAt" TIMESTAMP(3),
    "consentCreatedAt" TIMESTAMP(3) NOT NULL,
    "consentExpiresAt" TIMESTAMP(3) NOT NULL,
    "status" "ConnectionStatus" NOT NULL DEFAULT 'ACTIVE',
    "statusReason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Connection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BankAccount" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "truelayerAccountId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "accountType" TEXT NOT NULL,
    "maskedNumber" TEXT,
    "currency" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BankAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reconfirmation" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "copyHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Reconfirmation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReconfirmationItem" (
    "id" TEXT NOT NULL,
    "reconfirmationId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "accountIds" TEXT[],
    "scopes" TEXT[],

    CONSTRAINT "ReconfirmationItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConnectionEvent" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "reconfirmationId" TEXT,
    "type" "ConnectionEventType" NOT NULL,
    "reason" TEXT,
    "consentExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConnectionEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuthState" (
    "id" TEXT NOT NULL,
    "stateHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "purpose" "AuthStatePurpose" NOT NULL,
    "connectionIds" TEXT[],
    "providerId" TEXT,
    "codeVerifierSealed" TEXT,
    "redirectUri" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "consumedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuthState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CodeExchange" (
    "id" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "userId" TEXT,
    "connectionId" TEXT,
    "outcome" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CodeExchange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Account_userId_idx" ON "Account"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Account_provider_providerAccountId_key" ON "Account"("provider", "providerAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationToken_token_key" ON "VerificationToken"("token");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationToken_identifier_token_key" ON "VerificationToken"("identifier", "token");

-- CreateIndex
CREATE INDEX "Connection_userId_idx" ON "Connection"("userId");

-- CreateIndex
CREATE INDEX "Connection_consentExpiresAt_idx" ON "Connection"("consentExpiresAt");

-- CreateIndex
CREATE INDEX "Connection_userId_credentialsId_idx" ON "Connection"("userId", "credentialsId");

-- CreateIndex
CREATE UNIQUE INDEX "BankAccount_connectionId_truelayerAccountId_key" ON "BankAccount"("connectionId", "truelayerAccountId");

-- CreateIndex
CREATE INDEX "Reconfirmation_userId_createdAt_idx" ON "Reconfirmation"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "ReconfirmationItem_connectionId_idx" ON "ReconfirmationItem"("connectionId");

-- CreateIndex
CREATE UNIQUE INDEX "ReconfirmationItem_reconfirmationId_connectionId_key" ON "ReconfirmationItem"("reconfirmationId", "connectionId");

-- CreateIndex
CREATE INDEX "ConnectionEvent_connectionId_createdAt_idx" ON "ConnectionEvent"("connectionId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AuthState_stateHash_key" ON "AuthState"("stateHash");

-- CreateIndex
CREATE INDEX "AuthState_userId_idx" ON "AuthState"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "CodeExchange_codeHash_key" ON "CodeExchange"("codeHash");

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Connection" ADD CONSTRAINT "Connection_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankAccount" ADD CONSTRAINT "BankAccount_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reconfirmation" ADD CONSTRAINT "Reconfirmation_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReconfirmationItem" ADD CONSTRAINT "ReconfirmationItem_reconfirmationId_fkey" FOREIGN KEY ("reconfirmationId") REFERENCES "Reconfirmation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReconfirmationItem" ADD CONSTRAINT "ReconfirmationItem_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectionEvent" ADD CONSTRAINT "ConnectionEvent_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectionEvent" ADD CONSTRAINT "ConnectionEvent_reconfirmationId_fkey" FOREIGN KEY ("reconfirmationId") REFERENCES "Reconfirmation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuthState" ADD CONSTRAINT "AuthState_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- CreateIndex
CREATE INDEX "Connection_accessTokenExpiresAt_idx" ON "Connection"("accessTokenExpiresAt");


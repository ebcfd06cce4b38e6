import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectViaDialog, startTestSandbox } from "@/sandbox/client";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { freshLocalTokens } from "./local-tokens.mjs";
import { scanDatabase, scanText, scanTree } from "./secret-scan.mjs";

const token = `sbx_rt_${"Ab3_-".repeat(8)}`;

/** An access token as the simulator issues it: a JWT (header.payload.signature). */
async function issuedAccessToken(): Promise<string> {
  const sandbox = await startTestSandbox({ name: "scan" });
  try {
    const { code } = await connectViaDialog(sandbox.url, {
      clientId: sandbox.clientId,
      redirectUri: sandbox.redirectUri,
      username: "john",
      password: "doe",
      providers: "uk-cs-mock",
      providerId: "uk-cs-mock",
      state: "scan-state",
    });
    const response = await fetch(`${sandbox.url}/connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: sandbox.clientId,
        client_secret: sandbox.clientSecret,
        redirect_uri: sandbox.redirectUri,
        code,
      }).toString(),
    });
    return ((await response.json()) as { access_token: string }).access_token;
  } finally {
    await sandbox.close();
  }
}

describe("secret scan", () => {
  it("finds a JWT-shaped simulator access token planted in a log, whole or without its header", async () => {
    const jwt = await issuedAccessToken();
    expect(jwt.split(".")).toHaveLength(3);
    const log = `GET /data/v1/me 200\nauthorization: Bearer ${jwt}\n`;
    expect(scanText(log, "server.log")).toEqual([{ where: "server.log", kind: "sbx_at_jwt" }]);
    expect(scanText(jwt.split(".").slice(1).join("."), "x")).toEqual([{ where: "x", kind: "sbx_at_jwt" }]);
    expect(JSON.stringify(scanText(log, "server.log"))).not.toContain(jwt.slice(0, 20));
    // Someone else's JWT is not the simulator's, so it is not a finding of this scan.
    const foreign = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"someone-else-entirely"}').toString("base64url")}.`;
    expect(scanText(foreign, "x")).toEqual([]);
  });

  it("finds issued tokens in text and never repeats them", () => {
    const findings = scanText(`log line refresh_token=${token} done`, "server.log");
    expect(findings).toEqual([{ where: "server.log", kind: "sbx_rt_" }]);
    expect(JSON.stringify(findings)).not.toContain(token);
    expect(scanText("sbx_rt_short and •••• 1234", "x")).toEqual([]);
  });

  it("finds one-time secrets in logged URLs, only where asked", () => {
    const line = `GET /signin/confirm?token=${"ab12".repeat(16)}&email=x 200\nGET /callback?code=abcdefghijklmnopqrst&state=x`;
    expect(scanText(line, "dev.log", { urls: true }).map((f) => f.kind)).toEqual(["token=", "code="]);
    expect(scanText(line, "page.html")).toEqual([]);
    expect(JSON.stringify(scanText(line, "dev.log", { urls: true }))).not.toContain("ab12ab12");
  });

  it("finds the run's local tooling tokens as they are, and never repeats them", () => {
    const literals = freshLocalTokens();
    const log = `POST /__inbox/api 200\nx-inbox-token: ${literals.INBOX_API_TOKEN}\n`;
    const findings = scanText(log, "stack.log", { literals });
    expect(findings).toEqual([{ where: "stack.log", kind: "INBOX_API_TOKEN" }]);
    expect(JSON.stringify(findings)).not.toContain(literals.INBOX_API_TOKEN);
    expect(scanText(`<p>${literals.SANDBOX_CONTROL_TOKEN}</p>`, "p.html", { literals })).toEqual([
      { where: "p.html", kind: "SANDBOX_CONTROL_TOKEN" },
    ]);
    // An unset or too short value looks for nothing rather than everything.
    expect(scanText("anything at all", "x", { literals: { A: "", B: undefined, C: "an" } })).toEqual([]);
  });

  it("walks a tree", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "scan-"));
    mkdirSync(path.join(dir, "a"));
    writeFileSync(path.join(dir, "a", "page.html"), `<p>${token.replace("rt", "at")}</p>`);
    writeFileSync(path.join(dir, "clean.js"), "console.log(1)");
    const result = scanTree(dir);
    expect(result.files).toBe(2);
    expect(result.findings).toEqual([{ where: path.join(dir, "a", "page.html"), kind: "sbx_at_" }]);
  });

  describe("database", () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => db.drop());

    it("reads every text column, and sees a plain token stored where a sealed one belongs", async () => {
      const user = await db.prisma.user.create({ data: { email: "scan@example.test", name: "Scan Me" } });
      await db.prisma.connection.create({
        data: {
          userId: user.id,
          providerId: "uk-cs-mock",
          providerName: "Mock UK Bank",
          consentCreatedAt: new Date(),
          consentExpiresAt: new Date(),
          refreshTokenSealed: token,
        },
      });
      const url = new URL(db.url);
      url.searchParams.delete("schema");
      const result = await scanDatabase(url.toString(), db.schema);
      expect(result.sealedConnections).toBe(1);
      expect(result.findings).toEqual([{ where: "Connection.refreshTokenSealed", kind: "sbx_rt_" }]);
    });
  });
});

import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { connectViaDialog, sandboxControls } from "@/kit";
import { setClockOffset } from "@/lib/clock";
import { scanText } from "@/scripts/lib/secret-scan.mjs";
import { bankApproval, connectBank, exchangeIdFrom, newUser } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { openSecret } from "../sealed-tokens";
import { handleCallback } from "./callback";

const suite = integrationSuite();
afterEach(() => setClockOffset(0));

const LINK_PROBLEM = "/connections/problem?reason=link";

async function tokenCalls() {
  const calls = await sandboxControls(suite.it.sandboxUrl, suite.it.clientId).calls();
  return calls.filter((c) => c.path === "/connect/token").length;
}

async function nothingStoredFor(userId: string) {
  expect(await suite.prisma.connection.count({ where: { userId } })).toBe(0);
  expect(await suite.prisma.codeExchange.count({ where: { userId } })).toBe(0);
}

describe("callback state checks: a bad state changes nothing and the code is never exchanged", () => {
  it("refuses an unknown (forged) state", async () => {
    const user = await newUser(suite.prisma);
    const { code } = await bankApproval(user.id);
    const before = await tokenCalls();
    const forged = randomBytes(32).toString("base64url");
    expect(await handleCallback({ code, state: forged }, user.id)).toBe(LINK_PROBLEM);
    expect(await tokenCalls()).toBe(before);
    await nothingStoredFor(user.id);
  });

  it("refuses an expired state", async () => {
    const user = await newUser(suite.prisma);
    const approval = await bankApproval(user.id);
    const before = await tokenCalls();
    setClockOffset(11 * 60 * 1000);
    expect(await handleCallback(approval, user.id)).toBe(LINK_PROBLEM);
    expect(await tokenCalls()).toBe(before);
    await nothingStoredFor(user.id);
  });

  it("refuses a state that was already used, even with a fresh code", async () => {
    const user = await newUser(suite.prisma);
    const first = await bankApproval(user.id);
    await handleCallback(first, user.id);
    const state = first.state ?? "";
    const second = await connectViaDialog(suite.it.sandboxUrl, {
      clientId: suite.it.clientId,
      redirectUri: suite.it.redirectUri,
      state,
      username: "john",
      password: "eternal",
    });
    const before = await tokenCalls();
    expect(await handleCallback({ code: second.code, state }, user.id)).toBe(LINK_PROBLEM);
    expect(await tokenCalls()).toBe(before);
    expect(await suite.prisma.connection.count({ where: { userId: user.id } })).toBe(1);
  });

  it("refuses another signed-in user's state, leaving it usable by its owner", async () => {
    const owner = await newUser(suite.prisma);
    const intruder = await newUser(suite.prisma);
    const approval = await bankApproval(owner.id);
    const before = await tokenCalls();
    expect(await handleCallback(approval, intruder.id)).toBe(LINK_PROBLEM);
    expect(await tokenCalls()).toBe(before);
    await nothingStoredFor(intruder.id);
    await nothingStoredFor(owner.id);
    expect(await handleCallback(approval, owner.id)).toMatch(/^\/connections\/result\//);
  });

  it("sends a cancel at the bank to the cancelled page and uses up its state", async () => {
    const user = await newUser(suite.prisma);
    const approval = await bankApproval(user.id);
    const path = await handleCallback({ error: "access_denied", state: approval.state }, user.id);
    expect(path).toBe("/connections/cancelled?from=connect");
    expect(await handleCallback({ error: "access_denied" }, user.id)).toBe("/connections/cancelled");
    expect(await handleCallback(approval, user.id)).toBe(LINK_PROBLEM);
    await nothingStoredFor(user.id);
  });
});

describe("connecting a bank", () => {
  it("stores the connection with sealed tokens, masked accounts and a CONNECTED event", async () => {
    const user = await newUser(suite.prisma);
    const approval = await bankApproval(user.id);
    const path = await handleCallback(approval, user.id);
    const exchange = await suite.prisma.codeExchange.findUniqueOrThrow({
      where: { id: exchangeIdFrom(path) },
    });
    expect(exchange.outcome).toBe("connect:connected");
    expect(exchange.codeHash).not.toContain(approval.code);

    const row = await suite.prisma.connection.findUniqueOrThrow({
      where: { id: exchange.connectionId ?? "" },
      include: { accounts: true, events: true },
    });
    expect(row).toMatchObject({ userId: user.id, providerId: "uk-cs-mock", providerName: "Mock UK Bank" });
    expect(row.providerLogoUrl).toMatch(/\/_sandbox\/logos\/uk-cs-mock\.svg$/);
    expect(row.scopes).toEqual(expect.arrayContaining(["info", "accounts", "balance", "offline_access"]));
    const access = openSecret(row.accessTokenSealed ?? "");
    const refresh = openSecret(row.refreshTokenSealed ?? "");
    expect(scanText(access, "access").map((f) => f.kind)).toEqual(["sbx_at_jwt"]);
    expect(scanText(refresh, "refresh").map((f) => f.kind)).toEqual(["sbx_rt_"]);
    expect(row.accessTokenSealed).not.toContain(access);
    expect(row.refreshTokenSealed).not.toContain(refresh);
    expect(scanText(JSON.stringify(row), "row")).toEqual([]);
    expect(row.consentExpiresAt.getTime() - row.consentCreatedAt.getTime()).toBeCloseTo(90 * 86_400_000, -5);
    expect(row.accounts.map((a) => a.displayName).sort()).toEqual(["Current Account", "Instant Saver"]);
    for (const account of row.accounts) expect(account.maskedNumber).toMatch(/^•••• \d{4}$/);
    expect(row.events.map((e) => e.type)).toEqual(["CONNECTED"]);
    const state = await suite.prisma.authState.findFirstOrThrow({ where: { userId: user.id } });
    expect(state.consumedAt).not.toBeNull();
    expect(state.codeVerifierSealed).toBeTruthy();
  });

  it("shows the finished result again for a repeated code, without a second exchange", async () => {
    const user = await newUser(suite.prisma);
    const approval = await bankApproval(user.id);
    const first = await handleCallback(approval, user.id);
    const before = await tokenCalls();
    expect(await handleCallback(approval, user.id)).toBe(first);
    expect(await handleCallback({ code: approval.code }, null)).toBe(first);
    expect(await tokenCalls()).toBe(before);
    expect(await suite.prisma.connection.count({ where: { userId: user.id } })).toBe(1);
  });

  it("stores john/multi's five accounts, masked, never a full number or IBAN", async () => {
    const user = await newUser(suite.prisma);
    await connectBank(user.id, { password: "multi" });
    const accounts = await suite.prisma.bankAccount.findMany({ where: { connection: { userId: user.id } } });
    expect(accounts).toHaveLength(5);
    for (const account of accounts) {
      expect(account.maskedNumber).toMatch(/^•••• \d{4}$/);
      // Names and numbers only: ids are random and may hold digits.
      expect(`${account.displayName} ${account.maskedNumber}`).not.toMatch(/GB\d{2}|\d{5,}/);
    }
  });

  it("stores nothing, and revokes at TrueLayer, when the bank's data cannot be read", async () => {
    const user = await newUser(suite.prisma);
    const path = await connectBank(user.id, { username: "error.internal_error", password: "error" });
    const exchange = await suite.prisma.codeExchange.findUniqueOrThrow({
      where: { id: exchangeIdFrom(path) },
    });
    expect(exchange.outcome).toBe("connect:failed:internal_error");
    expect(await suite.prisma.connection.count({ where: { userId: user.id } })).toBe(0);
    const sandbox = await sandboxControls(suite.it.sandboxUrl, suite.it.clientId).connections();
    const theirs = sandbox.filter((c) => c.username === "error.internal_error");
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.map((c) => c.status)).toEqual(theirs.map(() => "revoked"));
  });

  it("says so when the exchange's answer was lost", async () => {
    const user = await newUser(suite.prisma);
    const approval = await bankApproval(user.id);
    await sandboxControls(suite.it.sandboxUrl, suite.it.clientId).injectFault({
      endpoint: "token",
      kind: "lost_response",
    });
    const path = await handleCallback(approval, user.id);
    const exchange = await suite.prisma.codeExchange.findUniqueOrThrow({
      where: { id: exchangeIdFrom(path) },
    });
    expect(exchange.outcome).toBe("connect:failed:outcome_unknown");
    expect(await suite.prisma.connection.count({ where: { userId: user.id } })).toBe(0);
  });
});

import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { now, setClockOffset } from "@/lib/clock";
import { approveBankReauth, sandboxControls } from "@/sandbox/client";
import { bankApproval, createTestConnection, createTestUser, newUser, reconfirmOne } from "@/test/flows";
import { type Integration, startIntegration } from "@/test/integration";
import { renumberSeededAccounts } from "../store/seed";
import { handleCallback } from "./callback";
import { finishParked, viewParked } from "./finish";
import { sweepExpiredParks } from "./parked";

// RFC 9700 §4.7 (CSRF) for bank trips: only the starting browser or the owner's session vouches for a return;
// any other is parked, never attached by guess, and never touches an existing connection.

let tl: Integration;
let prisma: PrismaClient;
beforeAll(async () => {
  tl = await startIntegration();
  prisma = tl.prisma;
});
afterAll(() => tl?.close());
afterEach(() => setClockOffset(0));

const hash = () => randomBytes(32).toString("hex");

function browser(binding: string | null = null) {
  const jar: { parked?: string } = {};
  return {
    binding,
    jar,
    context: {
      browserHash: binding,
      park: async () => {
        jar.parked = hash();
        return jar.parked;
      },
    },
  };
}

const renameAccounts = renumberSeededAccounts;

const exchangeOf = (path: string) => new URL(path, "http://x").searchParams.get("exchange") ?? "";
const simulatorConnections = () => sandboxControls(tl.sandboxUrl, tl.clientId).connections();
const tokenCalls = async () =>
  (await sandboxControls(tl.sandboxUrl, tl.clientId).calls()).filter((c) => c.path === "/connect/token")
    .length;

// First: once any bank trip is under way, a stateless code is worth trying at TrueLayer.
describe("forged returns", () => {
  it("a code with no state of ours and no bank trip under way costs no TrueLayer call and writes nothing", async () => {
    const before = await tokenCalls();
    const exchanges = await prisma.codeExchange.count();
    for (const params of [{ code: hash() }, { code: hash(), state: hash() }]) {
      expect(await handleCallback(params, null, browser(null).context)).toBe(
        "/connections/problem?reason=link",
      );
    }
    expect(await tokenCalls()).toBe(before);
    expect(await prisma.codeExchange.count()).toBe(exchanges);
  });

  it("many of them from one trusted address are told to wait", async () => {
    const clientIp = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
    const paths = [];
    for (let i = 0; i < 31; i++) paths.push(await handleCallback({ code: hash() }, null, { clientIp }));
    expect(paths.slice(0, 30).every((p) => p === "/connections/problem?reason=link")).toBe(true);
    expect(paths[30]).toBe("/connections/problem?reason=too_many");
  });
});

describe("connect: the auth link is bound to the browser that started it", () => {
  it("completes in the starting browser, even without a session", async () => {
    const owner = await newUser(prisma);
    const laptop = browser(hash());
    const approval = await bankApproval(owner.id, {}, { browserHash: laptop.binding ?? undefined });
    const path = await handleCallback(approval, null, laptop.context);
    expect(path).toMatch(/^\/connections\/result\//);
    expect(await prisma.connection.count({ where: { userId: owner.id } })).toBe(1);
  });

  it("a link sent to someone else never lands their bank in the sender's account", async () => {
    const attacker = await newUser(prisma);
    const victim = await newUser(prisma);
    const approval = await bankApproval(attacker.id, {}, { browserHash: hash() });
    // The victim opens the link in a browser with no Reconsent cookies and logs in at their bank.
    const victimBrowser = browser(null);
    const path = await handleCallback(approval, null, victimBrowser.context);
    expect(path).toMatch(/^\/connections\/finish\?exchange=/);
    expect(await prisma.connection.count({ where: { userId: attacker.id } })).toBe(0);
    const exchange = exchangeOf(path);
    // The attacker, in their own browser, has no parking cookie: nothing to take.
    expect(await viewParked(exchange, null, attacker.id)).toEqual({ kind: "missing" });
    expect(await finishParked(exchange, hash(), attacker.id)).toBe("/connections/problem?reason=link");
    // The victim signs in there as themselves: not the trip's owner, so it ends, revoked at TrueLayer.
    const parkedCookie = victimBrowser.jar.parked ?? null;
    expect((await viewParked(exchange, parkedCookie, victim.id)).kind).toBe("not_owner");
    expect(await finishParked(exchange, parkedCookie, victim.id)).toBe(
      "/connections/problem?reason=not_owner",
    );
    expect(await prisma.parkedReturn.count()).toBe(0);
    expect(await prisma.connection.count({ where: { userId: { in: [attacker.id, victim.id] } } })).toBe(0);
    expect(await prisma.codeExchange.findFirst({ where: { id: exchange } })).toMatchObject({
      outcome: "connect:failed:not_owner",
    });
    const revoked = (await simulatorConnections()).filter((c) => c.status === "revoked");
    expect(revoked.length).toBeGreaterThan(0);
  });

  it("the phone case: the owner signs in in the browser the bank opened, and it is added there", async () => {
    const owner = await newUser(prisma);
    const approval = await bankApproval(owner.id, {}, { browserHash: hash() });
    const phone = browser(null);
    const path = await handleCallback(approval, null, phone.context);
    const exchange = exchangeOf(path);
    const view = await viewParked(exchange, phone.jar.parked ?? null, owner.id);
    expect(view).toMatchObject({ kind: "ready", purpose: "CONNECT" });
    expect(await finishParked(exchange, phone.jar.parked ?? null, owner.id)).toBe(
      `/connections/result/${exchange}`,
    );
    expect(await prisma.connection.count({ where: { userId: owner.id, status: "ACTIVE" } })).toBe(1);
    expect(await prisma.parkedReturn.count({ where: { exchangeId: exchange } })).toBe(0);
  });

  it("a parked return nobody finishes is revoked and deleted after 30 minutes", async () => {
    const owner = await newUser(prisma);
    const approval = await bankApproval(owner.id, {}, { browserHash: hash() });
    const path = await handleCallback(approval, null, browser(null).context);
    const exchange = exchangeOf(path);
    expect(await sweepExpiredParks(now())).toBe(0);
    setClockOffset(31 * 60 * 1000);
    expect(await sweepExpiredParks(now())).toBeGreaterThan(0);
    expect(await prisma.parkedReturn.count({ where: { exchangeId: exchange } })).toBe(0);
    expect((await prisma.codeExchange.findUniqueOrThrow({ where: { id: exchange } })).outcome).toBe(
      "connect:failed:expired",
    );
    expect(await prisma.connection.count({ where: { userId: owner.id } })).toBe(0);
  });

  it("a browser signed in as someone else is refused before any exchange", async () => {
    const owner = await newUser(prisma);
    const stranger = await newUser(prisma);
    const approval = await bankApproval(owner.id, {}, { browserHash: hash() });
    const before = await tokenCalls();
    expect(await handleCallback(approval, stranger.id, browser(null).context)).toBe(
      "/connections/problem?reason=link",
    );
    expect(await tokenCalls()).toBe(before);
  });
});

describe("extend's bank trip: the return carries no state of ours", () => {
  async function tripTo(password: "doe", userBrowser: string | null) {
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, password);
    const result = await reconfirmOne(user.id, conn.id, userBrowser ?? undefined);
    if (result.kind !== "finished" || !result.firstLink) throw new Error("expected a bank link");
    const { code } = await approveBankReauth(result.firstLink);
    return { user, conn, code };
  }

  it("an unvouched return that is exactly the trip's connection attaches (the phone case)", async () => {
    const { user, conn, code } = await tripTo("doe", hash());
    const path = await handleCallback({ code }, null, browser(null).context);
    expect(path).toMatch(/^\/reconfirm\/progress\?exchange=/);
    const events = await prisma.connectionEvent.findMany({ where: { connectionId: conn.id } });
    expect(events.map((e) => e.type)).toContain("COMPLETED_AT_BANK");
    expect((await prisma.codeExchange.findUniqueOrThrow({ where: { id: exchangeOf(path) } })).userId).toBe(
      user.id,
    );
  });

  it("an unvouched return whose accounts differ is parked; the owner's connection is untouched", async () => {
    const { user, conn, code } = await tripTo("doe", hash());
    await renameAccounts(conn.id);
    const before = await prisma.connection.findUniqueOrThrow({ where: { id: conn.id } });
    const phone = browser(null);
    const path = await handleCallback({ code }, null, phone.context);
    expect(path).toMatch(/^\/connections\/finish\?exchange=/);
    const after = await prisma.connection.findUniqueOrThrow({ where: { id: conn.id } });
    expect(after.accessTokenSealed).toBe(before.accessTokenSealed);
    expect(after.refreshTokenSealed).toBe(before.refreshTokenSealed);
    expect(after.version).toBe(before.version);
    // The owner signs in in that browser: the renewal completes, and the accounts are the bank's.
    const exchange = exchangeOf(path);
    expect(await finishParked(exchange, phone.jar.parked ?? null, user.id)).toBe(
      `/reconfirm/progress?exchange=${exchange}`,
    );
    const renewed = await prisma.connection.findUniqueOrThrow({
      where: { id: conn.id },
      include: { accounts: true },
    });
    expect(renewed.accessTokenSealed).not.toBe(before.accessTokenSealed);
    expect(renewed.accounts.some((a) => a.truelayerAccountId.startsWith("renumbered-"))).toBe(false);
  });

  it("another person's code sent to a victim's browser never rides in on the victim's cookies", async () => {
    const victimBrowser = hash();
    const victim = await tripTo("doe", victimBrowser);
    const attacker = await tripTo("doe", hash());
    const victimBefore = await prisma.connection.findUniqueOrThrow({ where: { id: victim.conn.id } });
    // A cross-site page sends the signed-in victim's browser to /callback with the attacker's code.
    const path = await handleCallback(
      { code: attacker.code },
      victim.user.id,
      browser(victimBrowser).context,
    );
    expect(path).toMatch(/^\/connections\/finish\?exchange=/);
    const victimAfter = await prisma.connection.findUniqueOrThrow({ where: { id: victim.conn.id } });
    expect(victimAfter.accessTokenSealed).toBe(victimBefore.accessTokenSealed);
    expect(victimAfter.credentialsId).toBe(victimBefore.credentialsId);
    expect(victimAfter.version).toBe(victimBefore.version);
    const own = await handleCallback({ code: victim.code }, victim.user.id, browser(victimBrowser).context);
    expect(own).toMatch(/^\/reconfirm\/progress\?exchange=/);
  });

  it("a return vouched for by the starting browser attaches even when the accounts changed", async () => {
    const laptop = hash();
    const { conn, code } = await tripTo("doe", laptop);
    await renameAccounts(conn.id);
    const path = await handleCallback({ code }, null, browser(laptop).context);
    expect(path).toMatch(/^\/reconfirm\/progress\?exchange=/);
    const renewed = await prisma.connection.findUniqueOrThrow({
      where: { id: conn.id },
      include: { accounts: true },
    });
    expect(renewed.accounts.some((a) => a.truelayerAccountId.startsWith("renumbered-"))).toBe(false);
  });
});

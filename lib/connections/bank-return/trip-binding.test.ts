import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  approveBankReauth,
  connectViaDialog,
  renumberSeededAccounts,
  sandboxControls,
  setSeededConnection,
} from "@/kit";
import { now, setClockOffset } from "@/lib/clock";
import {
  bankApproval,
  createTestConnection,
  createTestUser,
  newTrip,
  newUser,
  reconfirmOne,
} from "@/test/flows";
import { type Integration, startIntegration } from "@/test/integration";
import { startConnect } from "../connect/start";
import { drainRevokeQueue } from "../custody";
import { extendOne } from "../reconfirm/extend-one";
import { extendUserFor } from "../reconfirm/extend-user";
import { type CallbackContext, handleCallback, WAITING_PAGE } from "./callback";
import { finishParked, viewParked } from "./finish";
import type { CallbackParams } from "./params";
import { sweepExpiredParks } from "./parked";

// RFC 9700 §4.5 and §4.7 for bank trips, as decision 044 binds them.

let tl: Integration;
let prisma: PrismaClient;
beforeAll(async () => {
  tl = await startIntegration();
  prisma = tl.prisma;
});
afterAll(() => tl?.close());
afterEach(async () => {
  setClockOffset(0);
  await controls().clearFaults();
});

const random = () => randomBytes(32).toString("hex");
const controls = () => sandboxControls(tl.sandboxUrl, tl.clientId);
const tokenCalls = async () => (await controls().calls()).filter((c) => c.path === "/connect/token").length;
const exchangeOf = (path: string) => new URL(path, "http://x").searchParams.get("exchange") ?? "";

/** A browser: the trip hashes its cookie holds, what it parks, and what it keeps for a sign-in. */
function browser(tripHashes: string[] = []) {
  const jar: { parked?: string; kept?: CallbackParams } = {};
  const context: CallbackContext = {
    tripHashes,
    park: async () => {
      jar.parked = random();
      return jar.parked;
    },
    keep: async (params) => {
      jar.kept = params;
    },
  };
  return { jar, context };
}

async function tripTo(password: "doe" | "iban" = "doe", trip = newTrip()) {
  const user = await createTestUser();
  const conn = await createTestConnection(tl, user.id, password);
  const result = await reconfirmOne(user.id, conn.id, trip.hash);
  if (result.kind !== "finished" || !result.firstLink) throw new Error("expected a bank link");
  const { code } = await approveBankReauth(result.firstLink);
  return { user, conn, code, trip };
}

describe("returns with no trip of this browser's cost nothing upstream", () => {
  it("a cookieless client's codes cause no TrueLayer call and no row, while trips are pending elsewhere", async () => {
    await tripTo(); // someone, somewhere, is at their bank
    const before = await tokenCalls();
    const exchanges = await prisma.codeExchange.count();
    const codes = fc.sample(
      fc.oneof(
        fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 1, maxLength: 64 }),
        fc.uuid(),
      ),
      43,
    );
    for (const code of codes) {
      const b = browser();
      const field = code.length % 2 ? { code } : { exchange_code: code };
      expect(await handleCallback(field, null, b.context)).toBe(WAITING_PAGE);
      expect(b.jar.kept?.code).toBe(code);
    }
    expect(await tokenCalls()).toBe(before);
    expect(await prisma.codeExchange.count()).toBe(exchanges);
  });

  it("a signed-in browser with no renewal of its own under way is told so, with no call", async () => {
    const user = await newUser(prisma);
    const before = await tokenCalls();
    expect(await handleCallback({ code: random() }, user.id, browser([random()]).context)).toBe(
      "/connections/problem?reason=no_trip",
    );
    expect(await tokenCalls()).toBe(before);
  });

  it("an older bank page of a trip a later one finished says the bank is renewed, to its browser or owner only, with no call", async () => {
    const owner = await newUser(prisma);
    const connection = await createTestConnection(tl, owner.id, "doe");
    const first = newTrip();
    const sent = await reconfirmOne(owner.id, connection.id, first.hash);
    if (sent.kind !== "finished" || !sent.firstLink) throw new Error("expected a bank trip");
    const stale = await approveBankReauth(sent.firstLink);
    const second = newTrip();
    const again = await reconfirmOne(owner.id, connection.id, second.hash);
    // The second yes finds the trip under way; a fresh link is what "Continue" asks for.
    expect(again.kind).toBe("finished");
    const fresh = await extendOne({
      connectionId: connection.id,
      userId: owner.id,
      reconfirmationId: sent.reconfirmationId,
      copyHash: (await prisma.reconfirmation.findUniqueOrThrow({ where: { id: sent.reconfirmationId } }))
        .copyHash,
      user: extendUserFor({
        truelayerUserId: owner.truelayerUserId,
        name: "Jamie Example",
        email: owner.email ?? "",
      }),
      freshLink: true,
      startTrip: async () => second.hash,
    });
    if (fresh.kind !== "bank" || !fresh.userInputLink) throw new Error("expected a fresh bank link");
    const back = await approveBankReauth(fresh.userInputLink);
    expect(await handleCallback({ code: back.code }, owner.id, browser([second.hash]).context)).toMatch(
      /^\/reconfirm\/progress\?exchange=/,
    );
    const before = await tokenCalls();
    const renewed = `/connections/problem?reason=already_renewed&connection=${connection.id}`;
    // The browser that started the first trip, signed out or in; and the owner in another browser.
    expect(await handleCallback({ code: stale.code }, null, browser([first.hash]).context)).toBe(renewed);
    expect(await handleCallback({ code: stale.code }, owner.id, browser([]).context)).toBe(renewed);
    // Anyone else learns nothing of it: someone else signed in, or a browser with no trip of it.
    const stranger = await newUser(prisma);
    expect(await handleCallback({ code: stale.code }, stranger.id, browser([first.hash]).context)).toBe(
      "/connections/problem?reason=no_trip",
    );
    expect(await handleCallback({ code: stale.code }, null, browser([random()]).context)).toBe(WAITING_PAGE);
    expect(await tokenCalls()).toBe(before);
  });

  it("a state we never issued is refused before any call; the owner's genuine return still works", async () => {
    const owner = await newUser(prisma);
    const trip = newTrip();
    const approval = await bankApproval(owner.id, {}, { browserHash: trip.hash });
    const before = await tokenCalls();
    const garbage = fc.sample(fc.string({ minLength: 1, maxLength: 128 }), 20);
    for (const state of [...garbage, random(), approval.state?.slice(1) ?? "x"]) {
      expect(await handleCallback({ code: approval.code, state }, null, browser([trip.hash]).context)).toBe(
        "/connections/problem?reason=link",
      );
    }
    expect(await tokenCalls()).toBe(before);
    // Each refusal is in the security log, with no code or state in it (issue 27 item 8).
    const logged = await prisma.securityEvent.findMany({
      where: { kind: "BANK_RETURN_REFUSED", reason: "unknown_state" },
    });
    expect(logged.length).toBeGreaterThanOrEqual(garbage.length + 2);
    expect(JSON.stringify(logged)).not.toContain(approval.code);
    const genuine = await handleCallback(approval, null, browser([trip.hash]).context);
    expect(genuine).toMatch(/^\/connections\/result\//);
    expect(await prisma.connection.count({ where: { userId: owner.id } })).toBe(1);
  });

  it("exchanges per trip owner are budgeted before any call", async () => {
    const { user, trip } = await tripTo();
    const paths: string[] = [];
    for (let i = 0; i < 21; i++)
      paths.push(await handleCallback({ code: random() }, null, browser([trip.hash]).context));
    expect(paths.slice(0, 20).every((p) => p.startsWith("/reconfirm/progress"))).toBe(true);
    const before = await tokenCalls();
    expect(await handleCallback({ code: random() }, user.id, browser().context)).toBe(
      "/connections/problem?reason=too_many",
    );
    expect(await tokenCalls()).toBe(before);
  });
});

describe("code injection into a renewal", () => {
  it("another person's code in a victim's browser is refused, never attached or offered; both grants stay held", async () => {
    const victim = await tripTo();
    const attacker = await tripTo();
    const victimBefore = await prisma.connection.findUniqueOrThrow({ where: { id: victim.conn.id } });
    // Every way the victim's browser can vouch: its trip cookie, its session, or both.
    const contexts: [string | null, string[]][] = [
      [victim.user.id, [victim.trip.hash]],
      [null, [victim.trip.hash]],
    ];
    const [session, hashes] = contexts[0] as [string | null, string[]];
    const path = await handleCallback({ code: attacker.code }, session, browser(hashes).context);
    expect(path).toMatch(/^\/reconfirm\/progress\?exchange=/);
    expect(await prisma.codeExchange.findUniqueOrThrow({ where: { id: exchangeOf(path) } })).toMatchObject({
      outcome: "extend:failed:not_this_connection",
      userId: victim.user.id,
      grantSealed: null,
    });
    expect(
      await prisma.securityEvent.count({
        where: { kind: "BANK_RETURN_REFUSED", reason: "not_this_connection", userId: victim.user.id },
      }),
    ).toBe(1);
    expect(await prisma.parkedReturn.count()).toBe(0);
    const victimAfter = await prisma.connection.findUniqueOrThrow({ where: { id: victim.conn.id } });
    expect(victimAfter.accessTokenSealed).toBe(victimBefore.accessTokenSealed);
    expect(victimAfter.credentialsId).toBe(victimBefore.credentialsId);
    const attackerAfter = await prisma.connection.findUniqueOrThrow({ where: { id: attacker.conn.id } });
    expect(attackerAfter.credentialsId).toBe(attacker.conn.credentialsId);
    expect(attackerAfter.userId).toBe(attacker.user.id);
    const [, cookieOnly] = contexts[1] as [string | null, string[]];
    const own = await handleCallback({ code: victim.code }, null, browser(cookieOnly).context);
    expect(own).toMatch(/^\/reconfirm\/progress\?exchange=/);
    expect((await prisma.codeExchange.findUniqueOrThrow({ where: { id: exchangeOf(own) } })).outcome).toBe(
      "extend:completed",
    );
  });

  it("a grant whose credentials and accounts both differ from every trip is queued, then revoked", async () => {
    const { user, trip } = await tripTo("doe");
    // A fresh connection's code at the same bank, by someone else's login: held by no stored connection.
    const stranger = await newUser(prisma);
    const started = await startConnect(stranger.id);
    if (!started.ok) throw new Error("no link");
    const { code } = await connectViaDialog(tl.sandboxUrl, {
      clientId: tl.clientId,
      redirectUri: tl.redirectUri,
      username: "john42",
      password: "iban",
      providers: "uk-cs-mock",
      providerId: "uk-cs-mock",
      state: random(),
    });
    const path = await handleCallback({ code }, user.id, browser([trip.hash]).context);
    expect((await prisma.codeExchange.findUniqueOrThrow({ where: { id: exchangeOf(path) } })).outcome).toBe(
      "extend:failed:not_this_connection",
    );
    // Queued and revoked at once: no connection of ours holds it, so nothing keeps it alive.
    await drainRevokeQueue();
    expect(await prisma.pendingRevoke.count({ where: { reason: "refused" } })).toBe(0);
    const stray = (await controls().connections()).filter((c) => c.username === "john42");
    expect(stray.map((c) => c.status)).toEqual(["revoked"]);
  });
});

describe("connect: the auth link is bound to the trip that started it", () => {
  it("completes in the starting browser, even without a session", async () => {
    const owner = await newUser(prisma);
    const trip = newTrip();
    const approval = await bankApproval(owner.id, {}, { browserHash: trip.hash });
    expect(await handleCallback(approval, null, browser([trip.hash]).context)).toMatch(
      /^\/connections\/result\//,
    );
    expect(await prisma.connection.count({ where: { userId: owner.id } })).toBe(1);
  });

  it("a link sent to someone else is parked for its owner and, when someone else takes it, queued for revocation", async () => {
    const attacker = await newUser(prisma);
    const victim = await newUser(prisma);
    const approval = await bankApproval(attacker.id, {}, { browserHash: newTrip().hash });
    const victimBrowser = browser();
    const path = await handleCallback(approval, null, victimBrowser.context);
    expect(path).toMatch(/^\/connections\/finish\?exchange=/);
    const exchange = exchangeOf(path);
    expect(await viewParked(exchange, null, attacker.id)).toEqual({ kind: "missing" });
    const parked = victimBrowser.jar.parked ?? null;
    expect((await viewParked(exchange, parked, victim.id)).kind).toBe("not_owner");
    expect(await finishParked(exchange, parked, victim.id)).toBe("/connections/problem?reason=not_owner");
    expect(await prisma.parkedReturn.count({ where: { exchangeId: exchange } })).toBe(0);
    expect(await prisma.connection.count({ where: { userId: { in: [attacker.id, victim.id] } } })).toBe(0);
    const queued = await prisma.pendingRevoke.findFirstOrThrow({
      where: { reason: "parked" },
      orderBy: { createdAt: "desc" },
    });
    await drainRevokeQueue();
    const grant = (await controls().connections()).find((c) => c.credentials_id === queued.credentialsId);
    expect(grant?.status).toBe("revoked");
  });

  it("the phone case: the owner signs in in the browser the bank opened, and it is added there", async () => {
    const owner = await newUser(prisma);
    const approval = await bankApproval(owner.id, {}, { browserHash: newTrip().hash });
    const phone = browser();
    const exchange = exchangeOf(await handleCallback(approval, null, phone.context));
    expect(await viewParked(exchange, phone.jar.parked ?? null, owner.id)).toMatchObject({ kind: "ready" });
    expect(await finishParked(exchange, phone.jar.parked ?? null, owner.id)).toBe(
      `/connections/result/${exchange}`,
    );
    expect(await prisma.connection.count({ where: { userId: owner.id, status: "ACTIVE" } })).toBe(1);
  });

  it("a parked return nobody finishes is queued for revocation after 30 minutes", async () => {
    const owner = await newUser(prisma);
    const approval = await bankApproval(owner.id, {}, { browserHash: newTrip().hash });
    const exchange = exchangeOf(await handleCallback(approval, null, browser().context));
    expect(await sweepExpiredParks(now())).toBe(0);
    setClockOffset(31 * 60 * 1000);
    expect(await sweepExpiredParks(now())).toBeGreaterThan(0);
    expect(await prisma.parkedReturn.count({ where: { exchangeId: exchange } })).toBe(0);
    expect((await prisma.codeExchange.findUniqueOrThrow({ where: { id: exchange } })).outcome).toBe(
      "connect:failed:expired",
    );
  });

  it("a browser signed in as someone else is refused before any exchange", async () => {
    const owner = await newUser(prisma);
    const stranger = await newUser(prisma);
    const approval = await bankApproval(owner.id, {}, { browserHash: newTrip().hash });
    const before = await tokenCalls();
    expect(await handleCallback(approval, stranger.id, browser().context)).toBe(
      "/connections/problem?reason=link",
    );
    expect(await tokenCalls()).toBe(before);
  });
});

describe("extend's bank trip: the return carries no state of ours", () => {
  it("the owner, signed in in the browser the bank opened, finishes it there", async () => {
    const { user, conn, code } = await tripTo();
    const path = await handleCallback({ code }, user.id, browser().context);
    expect(path).toMatch(/^\/reconfirm\/progress\?exchange=/);
    const events = await prisma.connectionEvent.findMany({ where: { connectionId: conn.id } });
    expect(events.map((e) => e.type)).toContain("COMPLETED_AT_BANK");
  });

  it("a return vouched for by the trip's cookie attaches by its accounts when the credentials are new", async () => {
    const { conn, code, trip } = await tripTo();
    await renumberSeededAccounts(conn.id);
    await setSeededConnection(conn.id, { credentialsId: `old-${random()}` });
    // TrueLayer's revoke endpoint is down, so the replaced grant's immediate revoke fails and it stays queued.
    await controls().injectFault({ endpoint: "delete", kind: "503", count: 6 });
    const path = await handleCallback({ code }, null, browser([trip.hash]).context);
    expect(path).toMatch(/^\/reconfirm\/progress\?exchange=/);
    const renewed = await prisma.connection.findUniqueOrThrow({
      where: { id: conn.id },
      include: { accounts: true },
    });
    expect(renewed.accounts.some((a) => a.truelayerAccountId.startsWith("renumbered-"))).toBe(false);
    expect(
      await prisma.pendingRevoke.count({
        where: { reason: "replaced", credentialsId: { startsWith: "old-" } },
      }),
    ).toBe(1);
  });
});

import { createHash, randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  approveBankReauth,
  completeDialog,
  type FaultKind,
  sandboxControls,
  setSeededConnection,
} from "@/kit";
import { setClockOffset } from "@/lib/clock";
import { keyringFrom, seal } from "@/lib/crypto/token-seal";
import { db } from "@/lib/db";
import { rotateTokenKey } from "@/lib/security/rotate-token-key";
import { deleteAccount } from "@/lib/users/delete-account";
import type { ProfileName } from "@/sandbox/profiles";
import { newTrip, reconfirmOne } from "@/test/flows";
import { type Integration, startIntegration } from "@/test/integration";
import { readBalances } from "../balances/read";
import { type CallbackContext, finishExtendReturn, handleCallback, tripsFor } from "../bank-return/callback";
import { finishParked } from "../bank-return/finish";
import { sweepExpiredParks } from "../bank-return/parked";
import { startConnect } from "../connect/start";
import { declineAndStop } from "../decline";
import { openSecret } from "../sealed-tokens";
import { stopSharing } from "../stop-sharing";
import { sweepUnclaimedGrants } from "./exchange";
import { LostLeaseError } from "./hold";
import { keepTokensAlive } from "./keep-alive";
import { drainRevokeQueue } from "./queue";

// The custody invariant (issue 26), over random interleavings of every flow by two users in two tabs each, with
// faults: every live grant at TrueLayer (simulator ledger) is held by exactly one connection of the user whose login
// authorised it, or queued for revocation, or a counted lost answer; no connection holds another user's grant.
// Checked every step and, strictly, after the queue drains faults off. Failures print the seed and path
// (PROPERTY_SEED, PROPERTY_PATH replay; PROPERTY_RUNS counts; npm run test:reliability soaks).

// An old key the rotation step moves values off (the app's keyring opens it as TOKEN_ENCRYPTION_OLD_KEYS).
const OLD_KEY = { id: "k0", key: Buffer.alloc(32, 3).toString("base64") };
process.env.TOKEN_ENCRYPTION_OLD_KEYS = `${OLD_KEY.id}:${OLD_KEY.key}`;

const RUNS = Number(process.env.PROPERTY_RUNS || 10);
const sha = (value: string) => createHash("sha256").update(value).digest("hex");
const DAY = 24 * 60 * 60 * 1000;

// Two people, each with a bank login of their own at the mock bank (john: any persona; john7: doe or iban).
const LOGINS = { a: "john", b: "john7" } as const;
type Who = keyof typeof LOGINS;
const PERSONAS: Record<Who, string[]> = { a: ["eternal", "doe"], b: ["doe", "iban"] };

type Tab = { who: Who; signedIn: boolean; tripHashes: string[] };
type Pending = { who: Who; tab: number; code: string; state: string | null };
type World = { users: Record<Who, string>; tabs: Tab[]; pending: Pending[]; delivered: Pending[] };

// A delay holds a call open long enough for a concurrent flow to land inside it.
const FAULTS: { endpoint: "token" | "extend" | "data" | "delete"; kind: FaultKind; ms?: number }[] = [
  { endpoint: "token", kind: "delay", ms: 150 },
  { endpoint: "extend", kind: "delay", ms: 150 },
  { endpoint: "token", kind: "500" },
  { endpoint: "token", kind: "lost_response" },
  { endpoint: "token", kind: "unauthorized_client" },
  { endpoint: "token", kind: "429" },
  { endpoint: "extend", kind: "503" },
  { endpoint: "extend", kind: "lost_response" },
  { endpoint: "extend", kind: "reset" },
  { endpoint: "data", kind: "500" },
  { endpoint: "delete", kind: "503" },
  { endpoint: "delete", kind: "lost_response" },
];

// Attack mode (PROPERTY_ATTACK=1): lost answers, delays and resets on every endpoint, and the scheduled jobs.
const ATTACK = process.env.PROPERTY_ATTACK === "1";
const ATTACK_FAULTS: typeof FAULTS = (["token", "extend", "data", "delete"] as const).flatMap((endpoint) => [
  { endpoint, kind: "lost_response" as const },
  { endpoint, kind: "delay" as const, ms: 150 },
  { endpoint, kind: "500" as const },
  ...(endpoint === "token" || endpoint === "extend" ? [{ endpoint, kind: "reset" as const }] : []),
]);

const HOW = ["genuine", "replayed", "foreign", "cookieless", "forged", "garbage_state"] as const;
const TWICE = ["genuine", "foreign", "cookieless", "garbage_state"] as const;
const Single = fc.oneof(
  fc.record({ op: fc.constant("connect" as const), tab: fc.nat(3), persona: fc.nat(1), now: fc.boolean() }),
  fc.record({ op: fc.constant("reconnect" as const), tab: fc.nat(3), pick: fc.nat(), now: fc.boolean() }),
  fc.record({ op: fc.constant("reconfirm" as const), tab: fc.nat(3), pick: fc.nat(), now: fc.boolean() }),
  fc.record({
    op: fc.constant("deliver" as const),
    pick: fc.nat(),
    how: fc.constantFrom(...HOW),
  }),
  fc.record({
    op: fc.constant("deliver_twice" as const), // one code twice at once: a double click, the bank app and a browser
    pick: fc.nat(),
    how: fc.tuple(fc.constantFrom(...TWICE), fc.constantFrom(...TWICE)),
  }),
  fc.record({
    op: fc.constantFrom("stop" as const, "decline" as const),
    who: fc.constantFrom<Who>("a", "b"),
    pick: fc.nat(),
  }),
  fc.record({ op: fc.constant("read" as const), who: fc.constantFrom<Who>("a", "b"), present: fc.boolean() }),
  fc.record({ op: fc.constant("delete_account" as const), who: fc.constantFrom<Who>("a", "b") }),
  fc.record({ op: fc.constant("maintenance" as const) }),
  fc.record({ op: fc.constant("rotate" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("fault" as const), fault: fc.constantFrom(...FAULTS) }),
  ...(ATTACK
    ? [
        fc.record({ op: fc.constant("fault" as const), fault: fc.constantFrom(...ATTACK_FAULTS) }),
        fc.record({ op: fc.constant("fault" as const), fault: fc.constantFrom(...ATTACK_FAULTS) }),
        fc.record({ op: fc.constant("keep_alive" as const) }),
        fc.record({ op: fc.constant("late_read" as const), who: fc.constantFrom<Who>("a", "b") }),
        fc.record({ op: fc.constant("drain" as const) }),
        fc.record({ op: fc.constant("sweep_parks" as const) }),
        fc.record({
          op: fc.constant("finish_park" as const),
          who: fc.constantFrom<Who>("a", "b"),
          pick: fc.nat(),
        }),
      ]
    : []),
);
// Focus mode (PROPERTY_ATTACK=2): one bank login's connections, renewed, read and kept alive through lost answers.
const Focus = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant("connect" as const),
      tab: fc.constantFrom(0, 2),
      persona: fc.nat(1),
      now: fc.constant(true),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("reconfirm" as const),
      tab: fc.constantFrom(0, 2),
      pick: fc.nat(),
      now: fc.boolean(),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("reconnect" as const),
      tab: fc.constantFrom(0, 2),
      pick: fc.nat(),
      now: fc.boolean(),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("deliver" as const),
      pick: fc.nat(),
      how: fc.constantFrom("genuine" as const, "cookieless" as const),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ op: fc.constant("fault" as const), fault: fc.constantFrom(...ATTACK_FAULTS) }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ op: fc.constantFrom("late_read" as const), who: fc.constantFrom<Who>("a", "b") }),
    weight: 2,
  },
  { arbitrary: fc.record({ op: fc.constant("keep_alive" as const) }), weight: 1 },
  {
    arbitrary: fc.record({
      op: fc.constantFrom("stop" as const, "decline" as const),
      who: fc.constantFrom<Who>("a", "b"),
      pick: fc.nat(),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ op: fc.constant("delete_account" as const), who: fc.constantFrom<Who>("a", "b") }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constantFrom("drain" as const, "maintenance" as const, "sweep_parks" as const),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("finish_park" as const),
      who: fc.constantFrom<Who>("a", "b"),
      pick: fc.nat(),
    }),
    weight: 1,
  },
);
type SingleOp = typeof Single extends fc.Arbitrary<infer T> ? T : never;
// True concurrency: two flows at once (Promise.all), e.g. a reconfirm beside the revoke queue's drain.
const Picked = (process.env.PROPERTY_ATTACK === "2" ? Focus : Single) as fc.Arbitrary<SingleOp>;
const Op = fc.oneof(
  { arbitrary: Picked, weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("together" as const), a: Picked, b: Picked }), weight: 1 },
);
type OpValue = SingleOp | { op: "together"; a: SingleOp; b: SingleOp };

let tl: Integration;
const logins = new Map<string, string>();

beforeAll(async () => {
  tl = await startIntegration();
});
afterAll(async () => {
  setClockOffset(0);
  await tl?.close();
});

const controls = () => sandboxControls(tl.sandboxUrl, tl.clientId);

async function newPerson(who: Who): Promise<string> {
  const user = await db().user.create({
    data: { email: `${who}-${randomBytes(6).toString("hex")}@example.test`, name: "Pat Example" },
  });
  logins.set(user.id, LOGINS[who]);
  return user.id;
}

async function connectionsOf(userId: string) {
  return db().connection.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}

function contextOf(tab: Tab): CallbackContext {
  return {
    tripHashes: tab.tripHashes,
    park: async () => randomBytes(8).toString("hex"),
    keep: async () => {},
  };
}

async function runOp(world: World, op: OpValue): Promise<void> {
  if (op.op !== "together") return runSingle(world, op);
  // Each flow's set-up that is the test's own (not the app's) is done first, so only app code races.
  const a = await prepare(world, op.a);
  const b = await prepare(world, op.b);
  const settled = await Promise.allSettled([a(), b()]);
  settled.forEach((s, i) => {
    if (s.status === "rejected" && !raced(s.reason, [op.a, op.b][i]?.op === "delete_account")) throw s.reason;
  });
}

// Error pages a race may cause (a lease lost, the account deleted, a deadlock but in the deletion, which retries).
const RACED_CODES = new Set(["40P01", "23503", "P2003"]);
const raced = (error: unknown, deletion: boolean) => {
  const code = String((error as { code?: unknown } | null)?.code);
  return error instanceof LostLeaseError || (RACED_CODES.has(code) && !(deletion && code === "40P01"));
};

// Tokens aged by the test (blindly, so never beside live traffic), instead of moving the clock: an expiry stored
// under a moved clock would lie in the future once it is set back.
async function ageTokens(userId: string | null, ms: number): Promise<void> {
  const rows = await db().connection.findMany({
    where: { accessTokenExpiresAt: { not: null }, ...(userId ? { userId } : {}) },
  });
  for (const c of rows) await setSeededConnection(c.id, { accessTokenExpiresAt: new Date(Date.now() - ms) });
}

async function prepare(world: World, op: SingleOp): Promise<() => Promise<void>> {
  if (op.op === "keep_alive") {
    await ageTokens(null, 26 * DAY);
    return () => keepTokensAlive({ deadline: Date.now() + 10_000 }).then(() => {});
  }
  if (op.op === "late_read") {
    await ageTokens(world.users[op.who], 2 * 60_000);
    return () => runSingle(world, { op: "read", who: op.who, present: true });
  }
  if (op.op !== "rotate") return () => runSingle(world, op);
  await seedOldKey(op.pick);
  return () => rotateWithOldKey();
}

// One connection's tokens sealed with the old key (written by the test, blindly, so never beside live traffic).
async function seedOldKey(pick: number): Promise<void> {
  const all = await db().connection.findMany({ where: { refreshTokenSealed: { not: null } } });
  const conn = all[pick % Math.max(all.length, 1)];
  const oldRing = keyringFrom(OLD_KEY);
  if (conn?.refreshTokenSealed && conn.accessTokenSealed)
    await setSeededConnection(conn.id, {
      accessTokenSealed: seal(openSecret(conn.accessTokenSealed), oldRing),
      refreshTokenSealed: seal(openSecret(conn.refreshTokenSealed), oldRing),
      tokenKeyId: OLD_KEY.id,
    });
}

async function rotateWithOldKey(): Promise<void> {
  const ring = keyringFrom(
    { id: "k1", key: process.env.TOKEN_ENCRYPTION_KEY ?? "" },
    `${OLD_KEY.id}:${OLD_KEY.key}`,
  );
  await rotateTokenKey(ring);
}

async function runSingle(world: World, op: SingleOp): Promise<void> {
  switch (op.op) {
    case "connect":
    case "reconnect": {
      const tab = world.tabs[op.tab] as Tab;
      const userId = world.users[tab.who];
      const trip = newTrip();
      let reconnectId: string | undefined;
      if (op.op === "reconnect") {
        const live = (await connectionsOf(userId)).filter((c) => c.status !== "REVOKED");
        reconnectId = live[op.pick % Math.max(live.length, 1)]?.id;
        if (!reconnectId) return;
      }
      const started = await startConnect(userId, { browserHash: trip.hash, reconnectId });
      if (!started.ok) return;
      tab.tripHashes.unshift(trip.hash);
      const persona = PERSONAS[tab.who][op.op === "connect" ? op.persona : 0] ?? "doe";
      const back = await completeDialog(started.link, {
        username: LOGINS[tab.who],
        password: persona,
        providerId: "uk-cs-mock",
      });
      const pending = { who: tab.who, tab: op.tab, code: back.code, state: back.state ?? null };
      if (op.now) await deliver(world, pending, "genuine");
      else world.pending.push(pending);
      return;
    }
    case "reconfirm": {
      const tab = world.tabs[op.tab] as Tab;
      const userId = world.users[tab.who];
      const live = (await connectionsOf(userId)).filter((c) => c.status !== "REVOKED");
      const conn = live[op.pick % Math.max(live.length, 1)];
      if (!conn) return;
      const trip = newTrip();
      tab.tripHashes.unshift(trip.hash);
      const result = await reconfirmOne(userId, conn.id, trip.hash);
      if (result.kind !== "finished" || !result.firstLink) return;
      const back = await approveBankReauth(result.firstLink, {
        password: tab.who === "b" ? "doe" : "doe",
      }).catch(() => null);
      if (!back) return;
      const pending = { who: tab.who, tab: op.tab, code: back.code, state: back.state ?? null };
      if (op.now) await deliver(world, pending, "genuine");
      else world.pending.push(pending);
      return;
    }
    case "deliver": {
      const pool = op.how === "replayed" ? world.delivered : world.pending;
      const pending = pool[op.pick % Math.max(pool.length, 1)];
      if (op.how === "forged")
        return void (await deliver(
          world,
          { who: "a", tab: 0, code: randomBytes(16).toString("hex"), state: null },
          "genuine",
        ));
      if (!pending) return;
      if (op.how !== "replayed") world.pending.splice(world.pending.indexOf(pending), 1);
      await deliver(world, pending, op.how);
      return;
    }
    case "deliver_twice": {
      const pending = world.pending[op.pick % Math.max(world.pending.length, 1)];
      if (!pending) return;
      world.pending.splice(world.pending.indexOf(pending), 1);
      await Promise.all(op.how.map((how) => deliver(world, pending, how)));
      return;
    }
    case "stop":
    case "decline": {
      const userId = world.users[op.who];
      const live = (await connectionsOf(userId)).filter((c) => c.status !== "REVOKED");
      const conn = live[op.pick % Math.max(live.length, 1)];
      if (!conn) return;
      if (op.op === "stop") await stopSharing(userId, conn.id);
      else await declineAndStop(userId, [conn.id]);
      return;
    }
    case "read":
      await readBalances(
        { connectionIds: (await connectionsOf(world.users[op.who])).map((c) => c.id) },
        {
          psuIp: op.present ? "203.0.113.7" : undefined,
          when: { checkedBefore: new Date(Date.now() + DAY) },
        },
      );
      return;
    case "delete_account":
      await deleteAccount(world.users[op.who]);
      world.users[op.who] = await newPerson(op.who);
      for (const tab of world.tabs) if (tab.who === op.who) tab.tripHashes = [];
      return;
    case "maintenance":
      await sweepUnclaimedGrants(0);
      await drainRevokeQueue();
      return;
    case "keep_alive":
    case "late_read":
      return (await prepare(world, op))();
    case "drain":
      await drainRevokeQueue();
      return;
    case "sweep_parks":
      await sweepExpiredParks(new Date(Date.now() + 31 * 60 * 1000));
      return;
    case "finish_park": {
      const parked = await db().parkedReturn.findMany({ orderBy: { createdAt: "asc" } });
      const row = parked[op.pick % Math.max(parked.length, 1)];
      if (row) await finishParked(row.exchangeId, row.browserHash, world.users[op.who]);
      return;
    }
    case "rotate":
      await seedOldKey(op.pick);
      await rotateWithOldKey();
      return;
    case "fault":
      await controls().injectFault({ count: 1, ...op.fault });
      return;
  }
}

async function deliver(world: World, pending: Pending, how: string): Promise<void> {
  world.delivered.push(pending);
  const params = {
    code: pending.code,
    ...(how === "garbage_state"
      ? { state: randomBytes(12).toString("hex") }
      : pending.state
        ? { state: pending.state }
        : {}),
  };
  if (how === "cookieless") {
    // The bank app opened a browser with none of our cookies; later its owner signs in there and finishes.
    const path = await handleCallback(params, null, { keep: async () => {}, park: async () => "phone" });
    if (path === "/connections/returned") {
      const owner = world.users[pending.who];
      await finishExtendReturn(pending.code, await tripsFor(owner, {}), {});
    }
    return;
  }
  // A foreign return lands in the other person's signed-in tab, with that tab's trip cookie.
  const who: Who = how === "foreign" ? (pending.who === "a" ? "b" : "a") : pending.who;
  const tab =
    how === "foreign" ? (world.tabs.find((t) => t.who === who) as Tab) : (world.tabs[pending.tab] as Tab);
  await handleCallback(params, tab.signedIn ? world.users[who] : null, contextOf(tab));
}

type Problem = string;

/** The invariant, against the simulator's ledger. `strict`: nothing may be waiting any more. `earlier`: grants
 * an earlier scenario left (judged there), so one failure does not fail every scenario after it. */
async function check(strict: boolean, earlier: Set<string>): Promise<Problem[]> {
  const problems: Problem[] = [];
  const ledger = (await controls().connections()).filter((g) => !earlier.has(g.credentials_id));
  const grants = new Map(ledger.map((g) => [g.credentials_id, g]));
  const rows = await db().connection.findMany();
  const open = (v: string | null) => (v ? sha(openSecret(v)) : null);
  for (const c of rows) {
    if (!c.refreshTokenSealed || !c.credentialsId) continue;
    const grant = grants.get(c.credentialsId);
    if (grant && logins.get(c.userId) !== grant.username)
      problems.push(
        `connection ${c.id} of ${logins.get(c.userId)} holds a grant ${grant.username} authorised`,
      );
  }
  const queued = await db().pendingRevoke.findMany();
  const queuedHashes = new Set(queued.map((q) => open(q.refreshTokenSealed)));
  const parked = await db().parkedReturn.findMany();
  const parkedHashes = new Set(
    parked.map((p) =>
      open((p.snapshot as { tokens?: { refreshTokenSealed?: string } }).tokens?.refreshTokenSealed ?? null),
    ),
  );
  const exchanges = await db().codeExchange.findMany({ select: { codeHash: true, outcome: true } });
  const lostExchanges = new Set(
    exchanges.filter((x) => /outcome_unknown/.test(x.outcome)).map((x) => x.codeHash),
  );
  const lostInQueue = new Set(queued.filter((q) => q.lastError === "grant_lost").map((q) => q.credentialsId));
  const unansweredInQueue = new Set(queued.filter((q) => q.unansweredAt).map((q) => q.credentialsId));
  for (const grant of ledger) {
    if (grant.status !== "active" || !grant.refresh_token_sha256) continue;
    const holders = rows.filter(
      (c) =>
        c.status !== "REVOKED" &&
        c.refreshTokenSealed &&
        open(c.refreshTokenSealed) === grant.refresh_token_sha256,
    );
    if (holders.length > 1)
      problems.push(`grant ${grant.credentials_id} held by ${holders.length} connections`);
    const [holder] = holders;
    if (holder) {
      if (logins.get(holder.userId) !== grant.username)
        problems.push(
          `grant ${grant.credentials_id} (${grant.username}) held by ${logins.get(holder.userId)}`,
        );
      continue;
    }
    if (queuedHashes.has(grant.refresh_token_sha256) && !strict) continue;
    if (parkedHashes.has(grant.refresh_token_sha256) && !strict) continue;
    if (grant.answer_lost_at && unansweredInQueue.has(grant.credentials_id) && !strict) continue; // counted once drained
    // A counted lost answer: TrueLayer issued tokens whose answer never reached us.
    const byCredentials = rows.find(
      (c) => c.credentialsId === grant.credentials_id && c.status !== "REVOKED",
    );
    const counted =
      grant.answer_lost_at !== null &&
      ((byCredentials && (byCredentials.outcomeUnknownAt || byCredentials.grantLostAt)) ||
        lostInQueue.has(grant.credentials_id) ||
        (grant.last_code_sha256 && lostExchanges.has(grant.last_code_sha256)));
    if (counted) continue;
    problems.push(
      `live grant ${grant.credentials_id} (${grant.username}) is held by no connection${strict ? "" : ", queue or parked return"}`,
    );
  }
  return problems;
}

const grantIds = async () => new Set((await controls().connections()).map((g) => g.credentials_id));

async function runScenario(profile: ProfileName, ops: OpValue[]) {
  await controls().setProfile(profile);
  const earlier = await grantIds();
  const world: World = {
    users: { a: await newPerson("a"), b: await newPerson("b") },
    tabs: [
      { who: "a", signedIn: true, tripHashes: [] },
      { who: "a", signedIn: false, tripHashes: [] },
      { who: "b", signedIn: true, tripHashes: [] },
      { who: "b", signedIn: false, tripHashes: [] },
    ],
    pending: [],
    delivered: [],
  };
  for (const op of ops) {
    await runOp(world, op);
    expect(await check(false, earlier), JSON.stringify(op)).toEqual([]);
  }
  await controls().clearFaults();
  setClockOffset(2 * DAY);
  await sweepExpiredParks();
  await sweepUnclaimedGrants(0);
  await drainRevokeQueue();
  setClockOffset(0);
  expect(await check(true, earlier)).toEqual([]);
}

// Counterexamples the soak found, replayed on every run.
const FOUND: OpValue[][] = [
  [
    { op: "connect", tab: 3, persona: 0, now: true },
    { op: "connect", tab: 2, persona: 0, now: false },
    { op: "delete_account", who: "a" },
    { op: "rotate", pick: 1498829190 },
    { op: "connect", tab: 3, persona: 1, now: true },
    { op: "fault", fault: { endpoint: "data", kind: "500" } },
    { op: "read", who: "a", present: true },
    { op: "reconfirm", tab: 2, pick: 1495852374, now: true },
    { op: "maintenance" },
  ],
  // An account deleted mid-exchange erased the exchange row, so the answer's grant had nowhere to land.
  [
    { op: "connect", tab: 0, persona: 0, now: false },
    { op: "fault", fault: { endpoint: "token", kind: "delay", ms: 150 } },
    { op: "together", a: { op: "deliver", pick: 0, how: "genuine" }, b: { op: "delete_account", who: "a" } },
  ],
  // Stopping (or declining) after a renewal whose answer was lost: the dead tokens said "already ended".
  ...(["stop", "decline"] as const).map((op): OpValue[] => [
    { op: "connect", tab: 0, persona: 0, now: true },
    { op: "fault", fault: { endpoint: "extend", kind: "lost_response" } },
    { op: "reconfirm", tab: 0, pick: 0, now: true },
    { op, who: "a", pick: 0 },
  ]),
  // The same once a second renewal's invalid_grant had made it a lost grant (grantLostAt): it read "already ended".
  ...[
    { op: "stop", who: "a", pick: 0 } as const,
    { op: "decline", who: "a", pick: 0 } as const,
    { op: "delete_account", who: "a" } as const,
  ].map((last): OpValue[] => [
    { op: "connect", tab: 0, persona: 0, now: true },
    { op: "fault", fault: { endpoint: "extend", kind: "lost_response" } },
    { op: "reconfirm", tab: 0, pick: 0, now: true },
    { op: "reconfirm", tab: 0, pick: 0, now: true },
    last,
  ]),
  // A reconnect replaced a grant whose renewal's answer was lost: queued as answered, its dead token read as "gone".
  ...[[], [{ op: "fault", fault: { endpoint: "delete", kind: "lost_response" } } as const]].map(
    (revokeLost): OpValue[] => [
      { op: "connect", tab: 0, persona: 0, now: true },
      { op: "fault", fault: { endpoint: "extend", kind: "lost_response" } },
      { op: "reconfirm", tab: 0, pick: 0, now: true },
      ...revokeLost,
      { op: "reconnect", tab: 0, pick: 0, now: true },
    ],
  ),
];

for (const profile of ["strict", "truelayer-sandbox"] as const) {
  describe(`custody invariant under ${profile}`, () => {
    it("holds on the counterexamples found before", async () => {
      const quiet = vi.spyOn(console, "warn").mockImplementation(() => {});
      try {
        const replay = process.env.PROPERTY_REPLAY;
        const cases: OpValue[][] = replay
          ? JSON.parse((await import("node:fs")).readFileSync(replay, "utf8"))
          : FOUND;
        for (const ops of cases) await runScenario(profile, ops);
      } finally {
        quiet.mockRestore();
      }
    });

    it("holds over random interleavings with faults", { timeout: 60_000 + RUNS * 6_000 }, async () => {
      const quiet = vi.spyOn(console, "warn").mockImplementation(() => {});
      const alerts = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(Op, { minLength: 8, maxLength: 20 }), (ops) => runScenario(profile, ops)),
          {
            numRuns: RUNS,
            seed: process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined,
            path: process.env.PROPERTY_PATH,
            endOnFailure: true,
          },
        );
      } finally {
        setClockOffset(0);
        alerts.mockClear();
        alerts.mockRestore();
        quiet.mockRestore();
      }
    });
  });
}

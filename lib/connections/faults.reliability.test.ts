import { setTimeout as sleep } from "node:timers/promises";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { StoppedNotice } from "@/app/(app)/_components/stopped-notice";
import { type FaultKind, sandboxControls, setSeededConnection } from "@/kit";
import { now } from "@/lib/clock";
import { db } from "@/lib/db";
import {
  answered,
  DELAY_PAST_TIMEOUT_MS,
  FAULT_KINDS,
  type MatrixFault,
  refreshTokenWorks,
  shortenTimeouts,
  storedState,
  upstreamSettled,
} from "@/test/checks";
import {
  bankApproval,
  createTestConnection,
  createTestUser,
  exchangeIdFrom,
  reconfirmOne,
} from "@/test/flows";
import { type Integration, startIntegration } from "@/test/integration";
import { handleCallback } from "./bank-return/callback";
import { resultView } from "./connect/outcome";
import { startConnect } from "./connect/start";
import { bankResults } from "./reconfirm/results";
import { stopSharing } from "./stop-sharing";
import { decodeOutcome } from "./store/exchanges";
import { getReconfirmationForUser } from "./store/reconfirmations";

// After each fault: updated, or working tokens kept, or bank needed with a one-click way back; told, and in history.

let tl: Integration;
beforeAll(async () => {
  tl = await startIntegration();
});
afterAll(() => tl?.close());
afterEach(() => {
  vi.restoreAllMocks();
});

const controls = () => sandboxControls(tl.sandboxUrl, tl.clientId);

async function inject(endpoint: "token" | "extend" | "data", kind: FaultKind, count = 1) {
  if (kind === "delay") shortenTimeouts();
  await controls().injectFault({ endpoint, kind, count, ms: DELAY_PAST_TIMEOUT_MS, retryAfterSeconds: 1 });
}

// So none is left to hit the next row.
async function faultsUsed(count: number) {
  for (let i = 0; i < 200; i++) {
    const calls = await controls().calls();
    const faulted = calls.filter((c) => c.fault !== null);
    if (faulted.length >= count && calls.every(answered)) return;
    await sleep(50);
  }
  throw new Error("injected faults were not all used");
}
const faultedSoFar = async () => (await controls().calls()).filter((c) => c.fault !== null).length;

async function expectOneClickBack(userId: string, connectionId: string) {
  const started = await startConnect(userId, { reconnectId: connectionId });
  if (!started.ok) throw new Error("no way back offered");
  expect(new URL(started.link).searchParams.get("provider_id")).toBe("uk-cs-mock");
}

// An outcome we do not know is no reason to send anyone back to the bank (a second grant is billed twice): the
// status stays, and the next try extends with the stored refresh token. Only if TrueLayer acted and rotated it
// (this profile rotates) does that try hear invalid_grant: a lost answer, counted and shown as such.
const EXTEND: Record<MatrixFault, { reason: string; spent: boolean }> = {
  // TrueLayer acted after we gave up, or its answer was lost: the old refresh token is spent.
  delay: { reason: "outcome_unknown", spent: true },
  lost_response: { reason: "outcome_unknown", spent: true },
  // These could have come after TrueLayer acted; here they came before, so the kept tokens still work.
  "500": { reason: "outcome_unknown", spent: false },
  "503": { reason: "outcome_unknown", spent: false },
  malformed_json: { reason: "outcome_unknown", spent: false },
  reset: { reason: "outcome_unknown", spent: false },
  // Refused before acting: nothing changed, try again later.
  "429": { reason: "bank_unavailable", spent: false },
};

describe("fault matrix: extend (reconfirm)", () => {
  it.each(FAULT_KINDS)("extend × %s", async (kind) => {
    const expected = EXTEND[kind];
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const before = await storedState(conn.id);
    await inject("extend", kind);
    const result = await reconfirmOne(user.id, conn.id);
    await upstreamSettled(tl);

    if (result.kind !== "finished") throw new Error(`reconfirm ended ${result.kind}`);
    expect(result.outcomes[0]?.outcome).toMatchObject({ kind: "failed", reason: expected.reason });
    const after = await storedState(conn.id);
    expect(after.leaseId).toBeNull();
    expect(after.status).toBe("ACTIVE");
    expect(after.later.map((e) => [e.type, e.reason])).toEqual([["FAILED", expected.reason]]);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(after.consentExpiresAt).toEqual(before.consentExpiresAt);

    const record = await getReconfirmationForUser(result.reconfirmationId, user.id);
    if (!record) throw new Error("no reconfirmation recorded");
    const [shown] = bankResults(record, now());
    expect(shown?.status).toBe("failed");
    expect(shown?.headline).toMatch(/Mock UK Bank: /);
    expect(shown?.detail?.length).toBeGreaterThan(20);
    expect(after.outcomeUnknownAt !== null).toBe(expected.reason === "outcome_unknown");

    const again = await reconfirmOne(user.id, conn.id);
    if (again.kind !== "finished") throw new Error(`reconfirm ended ${again.kind}`);
    const next = await storedState(conn.id);
    if (expected.spent) {
      expect(again.outcomes[0]?.outcome).toMatchObject({ kind: "failed", reason: "grant_lost" });
      expect(next).toMatchObject({ status: "NEEDS_BANK_AUTH", statusReason: "grant_lost" });
      expect(next.grantLostAt).not.toBeNull();
      await expectOneClickBack(user.id, conn.id);
    } else {
      expect(again.outcomes[0]?.outcome).toMatchObject({ kind: "extended" });
      expect(next).toMatchObject({ status: "ACTIVE", outcomeUnknownAt: null, grantLostAt: null });
    }
  });
});

const EXCHANGE: Record<MatrixFault, string> = {
  delay: "outcome_unknown",
  "500": "outcome_unknown",
  "503": "outcome_unknown",
  "429": "rate_limited",
  malformed_json: "outcome_unknown",
  reset: "outcome_unknown",
  lost_response: "outcome_unknown",
};

async function reconnectWith(fault: { endpoint: "token" | "data"; kind: FaultKind; count?: number }) {
  const user = await createTestUser();
  const conn = await createTestConnection(tl, user.id, "eternal");
  const before = await storedState(conn.id);
  const approval = await bankApproval(user.id, { password: "eternal" }, { reconnectId: conn.id });
  const faultsBefore = await faultedSoFar();
  await inject(fault.endpoint, fault.kind, fault.count);
  const path = await handleCallback(approval, user.id, { psuIp: "203.0.113.9" });
  await faultsUsed(faultsBefore + (fault.count ?? 1));
  const exchange = await db().codeExchange.findUniqueOrThrow({ where: { id: exchangeIdFrom(path) } });
  return {
    user,
    conn,
    before,
    after: await storedState(conn.id),
    shown: resultView(decodeOutcome(exchange.outcome)),
  };
}

async function expectUntouched(
  before: Awaited<ReturnType<typeof storedState>>,
  after: typeof before,
  reason: string,
) {
  expect(after.status).toBe("ACTIVE");
  expect(after.accessToken).toBe(before.accessToken);
  expect(after.refreshToken).toBe(before.refreshToken);
  expect(after.later.map((e) => [e.type, e.reason])).toEqual([["FAILED", reason]]);
  expect(await refreshTokenWorks(after.refreshToken)).toBe("works");
}

describe("fault matrix: code exchange (reconnect)", () => {
  it.each(FAULT_KINDS)("exchange × %s", async (kind) => {
    const { before, after, shown } = await reconnectWith({ endpoint: "token", kind });
    expect(shown).toMatchObject({ kind: "failed", code: EXCHANGE[kind] });
    if (shown.kind === "failed") expect(shown.message.length).toBeGreaterThan(20);
    await expectUntouched(before, after, EXCHANGE[kind]);
  });
});

describe("fault matrix: data reads, once (retried and recovered)", () => {
  it.each(FAULT_KINDS)("data × %s", async (kind) => {
    const { before, after, shown } = await reconnectWith({ endpoint: "data", kind });
    expect(shown).toEqual({ kind: "reconnected" });
    expect(after.status).toBe("ACTIVE");
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.later.map((e) => e.type)).toEqual(["RECONNECTED"]);
    expect(await refreshTokenWorks(after.refreshToken)).toBe("works");
  });
});

const READ_CODE: Record<MatrixFault, string> = {
  delay: "timeout",
  "500": "internal_error",
  "503": "service_unavailable",
  "429": "rate_limited",
  malformed_json: "malformed_response",
  reset: "network",
  lost_response: "server_error",
};

describe("fault matrix: data reads, every attempt (gives up cleanly)", () => {
  it.each(FAULT_KINDS)("data × %s × 6", async (kind) => {
    const { before, after, shown } = await reconnectWith({ endpoint: "data", kind, count: 6 });
    expect(shown).toMatchObject({ kind: "failed", code: READ_CODE[kind] });
    if (shown.kind === "failed") expect(shown.message.length).toBeGreaterThan(20);
    await expectUntouched(before, after, READ_CODE[kind]);
    const deletes = (await controls().calls()).filter((c) => c.path === "/api/delete");
    expect(deletes.at(-1)?.status).toBe(200);
    expect(await db().pendingRevoke.count({ where: { reason: "unreadable" } })).toBe(0);
  });
});

describe("fault matrix: token refresh (stop sharing)", () => {
  it.each(FAULT_KINDS)("refresh × %s", async (kind) => {
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    await setSeededConnection(conn.id, { accessTokenExpiresAt: new Date(now().getTime() - 1000) });
    await inject("token", kind);
    const result = await stopSharing(user.id, conn.id);
    await upstreamSettled(tl);

    // Stopping always wins; what TrueLayer could not be told, the user is.
    expect(result).toMatchObject({ ok: true, reason: "truelayer_unreachable" });
    const after = await storedState(conn.id);
    expect(after).toMatchObject({ status: "REVOKED", accessTokenSealed: null, refreshTokenSealed: null });
    expect(after.leaseId).toBeNull();
    expect(after.later.map((e) => [e.type, e.reason])).toEqual([["REVOKED", "truelayer_unreachable"]]);
    const notice = renderToStaticMarkup(createElement(StoppedNotice, { connection: after }));
    expect(notice).toContain("TrueLayer hasn&#x27;t confirmed its end yet");
  });
});

describe("the user is present: data calls carry X-PSU-IP", () => {
  it("sends the user's IP on /me and /accounts while connecting", async () => {
    await reconnectWith({ endpoint: "data", kind: "500" });
    const reads = (await controls().calls()).filter((c) => c.path.startsWith("/data/v1/"));
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(reads.slice(-2).map((c) => c.psuIp))).toEqual(new Set(["203.0.113.9"]));
  });
});

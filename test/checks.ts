// Test-only: what the fault matrix, the concurrency and the pool tests check after each run.
import { setTimeout as sleep } from "node:timers/promises";
import { vi } from "vitest";
import { type FaultKind, type SandboxCall, sandboxControls } from "@/kit";
import { openSecret } from "@/lib/connections/sealed-tokens";
import { truelayer } from "@/lib/connections/truelayer-client";
import { db } from "@/lib/db";
import { isTrueLayerError } from "@/lib/truelayer";
import { FAULT_KINDS as ALL_FAULT_KINDS } from "@/sandbox/faults";
import type { Integration } from "./integration";

/** The faults the matrix covers (a 401 from our own configuration is tested on its own). */
export type MatrixFault = Exclude<FaultKind, "unauthorized_client">;
export const FAULT_KINDS = ALL_FAULT_KINDS.filter(
  (kind): kind is MatrixFault => kind !== "unauthorized_client",
);

/** The client's timeout, shortened for the test so "delay past the timeout" costs 1.5 s, not 10 s. */
export const TEST_TIMEOUT_MS = 1_500;
export const DELAY_PAST_TIMEOUT_MS = 2_000;

/**
 * Caps AbortSignal.timeout (what the TrueLayer client uses per attempt) for the current test only;
 * the client's own code path is untouched. Restored by vi.restoreAllMocks().
 */
export function shortenTimeouts(): void {
  const original = AbortSignal.timeout.bind(AbortSignal);
  vi.spyOn(AbortSignal, "timeout").mockImplementation((ms) => original(Math.min(ms, TEST_TIMEOUT_MS)));
}

/** A reset call never gets a status; every other call has one once the simulator has answered it. */
export const answered = (call: SandboxCall) => call.status !== null || call.fault === "reset";

/** Waits until every call the simulator received has been answered (a delayed one acts late). */
export async function upstreamSettled(it: Integration): Promise<void> {
  const controls = sandboxControls(it.sandboxUrl, it.clientId);
  for (let i = 0; i < 100; i++) {
    if ((await controls.calls()).every(answered)) return;
    await sleep(50);
  }
  throw new Error("the simulator is still answering a call");
}

export async function storedState(connectionId: string) {
  const row = await db().connection.findUniqueOrThrow({
    where: { id: connectionId },
    include: { events: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
  });
  return {
    ...row,
    accessToken: row.accessTokenSealed ? openSecret(row.accessTokenSealed) : null,
    refreshToken: row.refreshTokenSealed ? openSecret(row.refreshTokenSealed) : null,
    later: row.events.filter((e) => e.type !== "CONNECTED"),
  };
}

/**
 * Whether TrueLayer still accepts this refresh token (spends it: call last). "dead" only for an
 * answer that says so (invalid_grant and the like); anything else is a test failure.
 */
export async function refreshTokenWorks(refreshToken: string | null): Promise<"works" | "dead"> {
  if (!refreshToken) return "dead";
  try {
    await truelayer().refreshToken({ refreshToken });
    return "works";
  } catch (error) {
    if (isTrueLayerError(error) && error.reconnectRequired) return "dead";
    throw error;
  }
}

export async function callsTo(it: Integration, suffix: string): Promise<number> {
  const calls = await sandboxControls(it.sandboxUrl, it.clientId).calls();
  return calls.filter((c) => c.path.endsWith(suffix)).length;
}

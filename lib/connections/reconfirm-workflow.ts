import "server-only";
import { z } from "zod";
import { now } from "@/lib/clock";
import { recordFunnelEvents } from "@/lib/funnel/record";
import { type ExtendOutcome, extendOne, RECENT_RESULT_MS } from "./extend";
import { copyHash, reconfirmCopy } from "./reconfirm-copy";
import {
  findRecentResult,
  getUserConnections,
  getUserProfile,
  type ReconfirmConnection,
  recordReconfirmation,
} from "./reconfirm-queries";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "Choose a bank from the list." });

export const ReconfirmInput = z.object({
  connectionId: z
    .array(id)
    .min(1, { error: "Choose at least one bank" })
    .max(20, { error: "Choose at most 20 banks at a time" }),
  /** Every connection the wording covered (the page may show more than the user ticks). */
  shownConnectionId: z.array(id).min(1).max(20),
  copyHash: z.string().regex(/^[0-9a-f]{64}$/, { error: "Please reload the page and try again." }),
});
export type ReconfirmInput = z.output<typeof ReconfirmInput>;

export const STALE_COPY_MESSAGE = "The wording changed since you opened this page. Please read it again.";
const REFUSED_MESSAGE = "We couldn't find those banks in your account. Nothing was changed.";

export type ReconfirmResult =
  | { kind: "refused"; message: string }
  | { kind: "stale"; message: string }
  | {
      kind: "finished";
      reconfirmationId: string;
      outcomes: { connectionId: string; outcome: ExtendOutcome }[];
      /** One bank at a time: where to send the user first, when a bank needs them. */
      firstLink?: string;
    };

/** The copy a set of connections gets today, and its hash (what the page renders and the action checks). */
export function copyFor(connections: ReconfirmConnection[], today: Date) {
  const copy = reconfirmCopy(connections, today);
  return { copy, hash: copyHash(copy) };
}

async function ownedConnections(userId: string, input: ReconfirmInput) {
  const shown = [...new Set(input.shownConnectionId)];
  const selected = [...new Set(input.connectionId)];
  if (!selected.every((c) => shown.includes(c))) return undefined;
  const rows = await getUserConnections(userId, shown);
  if (rows.length !== shown.length || rows.some((r) => r.status === "REVOKED")) return undefined;
  return { shown: rows, selected: rows.filter((r) => selected.includes(r.id)) };
}

/**
 * The user said yes to the wording with hash `input.copyHash`: check it is still the wording, record
 * it, then extend each chosen connection. Nothing is called or written for a foreign or unknown id.
 */
const FUNNEL_STEP = {
  extended: "COMPLETED",
  bank: "SENT_TO_BANK",
  failed: "FAILED",
  in_progress: undefined,
} as const;

export async function reconfirmConnections(input: ReconfirmInput, userId: string): Promise<ReconfirmResult> {
  const owned = await ownedConnections(userId, input);
  if (!owned) return { kind: "refused", message: REFUSED_MESSAGE };
  const profile = await getUserProfile(userId);
  if (!profile?.name?.trim() || !profile.email) {
    return {
      kind: "refused",
      message:
        "Your bank needs your full name and email address. Please add them in Settings, then try again.",
    };
  }
  const at = now();
  const since = new Date(at.getTime() - RECENT_RESULT_MS);
  // A double click, a second tab or the back button: results under this wording stand.
  const recent = await Promise.all(owned.selected.map((c) => findRecentResult(c.id, input.copyHash, since)));
  const earlier = recent[0]?.reconfirmationId;
  if (earlier && recent.every((r) => r?.reconfirmationId)) {
    return { kind: "finished", reconfirmationId: earlier, outcomes: [] };
  }
  if (copyFor(owned.shown, at).hash !== input.copyHash) {
    return { kind: "stale", message: STALE_COPY_MESSAGE };
  }
  const reconfirmationId = await recordReconfirmation(userId, input.copyHash, owned.selected);
  const user = { name: profile.name.trim(), email: profile.email };
  const outcomes = await Promise.all(
    owned.selected.map(async (connection) => ({
      connectionId: connection.id,
      outcome: await extendOne({
        connectionId: connection.id,
        userId,
        reconfirmationId,
        copyHash: input.copyHash,
        user,
      }),
    })),
  );
  await recordFunnelEvents([
    ...owned.selected.map((c) => ({
      step: "CONFIRMED" as const,
      userId,
      connectionId: c.id,
      providerId: c.providerId,
    })),
    ...outcomes.flatMap(({ connectionId, outcome }) => {
      // Another submission's result was already counted when it happened.
      const step = outcome.handledIn ? undefined : FUNNEL_STEP[outcome.kind];
      const providerId = owned.selected.find((c) => c.id === connectionId)?.providerId;
      return step ? [{ step, userId, connectionId, providerId }] : [];
    }),
  ]);
  // Every bank's result came from another submission (a double click, a second tab): show that one.
  const handledIn = [...new Set(outcomes.map(({ outcome }) => outcome.handledIn))];
  if (handledIn.length === 1 && handledIn[0]) {
    return { kind: "finished", reconfirmationId: handledIn[0], outcomes };
  }
  const firstLink = outcomes.flatMap(({ outcome }) =>
    outcome.kind === "bank" && outcome.userInputLink ? [outcome.userInputLink] : [],
  )[0];
  return { kind: "finished", reconfirmationId, outcomes, firstLink };
}

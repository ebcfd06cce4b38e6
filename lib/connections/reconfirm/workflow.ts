import "server-only";
import { z } from "zod";
import { now } from "@/lib/clock";
import { consentSubject } from "@/lib/consent/subject";
import {
  renderWording,
  templateText,
  WORDING_TEMPLATE,
  WORDING_VERSION,
  type WordingParameters,
} from "@/lib/consent/wording";
import type { FunnelEventInput } from "@/lib/funnel/record";
import { reconfirmLimit } from "@/lib/security/limits";
import { countAttempt } from "@/lib/security/rate-limit";
import type { ConnectionRow } from "../store/connections";
import { type ConsentRecordInput, loadSubmissionRows, recordReconfirmation } from "../store/reconfirmations";
import { copyHash, wordingParameters } from "./copy";
import { type ExtendOutcome, extendOne, RECENT_RESULT_MS } from "./extend-one";
import { extendUserFor } from "./extend-user";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "Choose a bank from the list." });

export const ReconfirmInput = z.object({
  connectionId: z
    .array(id)
    .min(1, { error: "Choose at least one bank" })
    .max(20, { error: "Choose at most 20 banks at a time" }),
  // The page may show more connections than the user ticks; the wording covered them all.
  shownConnectionId: z.array(id).min(1).max(20),
  copyHash: z.string().regex(/^[0-9a-f]{64}$/, { error: "Please reload the page and try again." }),
});
export type ReconfirmInput = z.output<typeof ReconfirmInput>;

const TEMPLATE_TEXT = templateText(WORDING_TEMPLATE);

export const STALE_COPY_MESSAGE = "The wording changed since you opened this page. Please read it again.";
const STOPPED_MESSAGE =
  "Sharing from a bank on this page was stopped after it was opened. Nothing was renewed.";
const REFUSED_MESSAGE = "We couldn't find those banks in your account. Nothing was changed.";

export type ReconfirmResult =
  | { kind: "refused"; message: string }
  /** A bank on the page was stopped since it was shown (another tab): nothing was renewed. */
  | { kind: "stopped"; connectionIds: string[]; message: string }
  | { kind: "stale"; message: string }
  | {
      kind: "finished";
      reconfirmationId: string;
      outcomes: { connectionId: string; outcome: ExtendOutcome }[];
      firstLink?: string;
      funnelEvents: FunnelEventInput[];
    };

export function copyFor(connections: ConnectionRow[], today: Date) {
  const parameters = wordingParameters(connections, today);
  const copy = renderWording(WORDING_TEMPLATE, parameters);
  return { copy, hash: copyHash(copy), parameters };
}

/** The consent record of a yes: the wording's version and fill, the pseudonym, the accounts apart. */
export function consentRecordFor(input: {
  userId: string;
  email: string;
  shown: ConnectionRow[];
  copyHash: string;
  at: Date;
  parameters?: WordingParameters;
}): ConsentRecordInput {
  return {
    userId: input.userId,
    subject: consentSubject(input.email),
    copyHash: input.copyHash,
    wording: { version: WORDING_VERSION, template: TEMPLATE_TEXT },
    parameters: input.parameters ?? wordingParameters(input.shown, input.at),
    accounts: Object.fromEntries(
      input.shown.map((c) => [
        c.id,
        c.accounts.map((a) => ({
          id: a.truelayerAccountId,
          displayName: a.displayName,
          maskedNumber: a.maskedNumber,
        })),
      ]),
    ),
  };
}

function owned(input: ReconfirmInput, rows: ConnectionRow[]) {
  const shown = new Set(input.shownConnectionId);
  const selected = new Set(input.connectionId);
  if (![...selected].every((c) => shown.has(c))) return undefined;
  if (rows.length !== shown.size || rows.some((r) => r.status === "REVOKED")) return undefined;
  return { shown: rows, selected: rows.filter((r) => selected.has(r.id)) };
}

const FUNNEL_STEP = {
  extended: "COMPLETED",
  bank: "SENT_TO_BANK",
  failed: "FAILED",
  in_progress: undefined,
} as const;

// Read in one statement that also counts the attempt; nothing else is written before the checks.
export async function loadSubmission(input: ReconfirmInput, userId: string) {
  const at = now();
  const since = new Date(at.getTime() - RECENT_RESULT_MS);
  const attempt = countAttempt(reconfirmLimit(userId));
  const { connections, profile, recent, attempts } = await loadSubmissionRows({
    userId,
    shownIds: [...new Set(input.shownConnectionId)],
    chosenIds: [...new Set(input.connectionId)],
    copyHash: input.copyHash,
    since,
    attempt: attempt.statement,
  });
  return { at, rows: connections, profile, recent, limit: attempt.judge(attempts) };
}
export type Submission = Awaited<ReturnType<typeof loadSubmission>>;

export async function reconfirmConnections(
  input: ReconfirmInput,
  userId: string,
  submission?: Submission,
  startTrip?: () => Promise<string>,
  claimRead?: { unattended: boolean },
): Promise<ReconfirmResult> {
  const { at, rows, profile, recent } = submission ?? (await loadSubmission(input, userId));
  const stopped = rows.filter((r) => r.status === "REVOKED").map((r) => r.id);
  if (stopped.length > 0 && rows.length === new Set(input.shownConnectionId).size)
    return { kind: "stopped", connectionIds: stopped, message: STOPPED_MESSAGE };
  const chosen = owned(input, rows);
  if (!chosen) return { kind: "refused", message: REFUSED_MESSAGE };
  if (!profile?.name?.trim() || !profile.email) {
    return {
      kind: "refused",
      message:
        "Your bank needs your full name and email address. Please add them in Settings, then try again.",
    };
  }
  // A double click, a second tab or the back button: results under this wording stand.
  const earlier = chosen.selected.map((c) => recent.get(c.id)?.reconfirmationId);
  if (earlier[0] && earlier.every(Boolean)) {
    return { kind: "finished", reconfirmationId: earlier[0], outcomes: [], funnelEvents: [] };
  }
  const { hash, parameters } = copyFor(chosen.shown, at);
  if (hash !== input.copyHash) return { kind: "stale", message: STALE_COPY_MESSAGE };
  const { reconfirmationId, claims } = await recordReconfirmation(
    consentRecordFor({ userId, email: profile.email, shown: chosen.shown, copyHash: hash, at, parameters }),
    chosen.selected,
  );
  const user = extendUserFor({
    truelayerUserId: profile.truelayerUserId,
    name: profile.name,
    email: profile.email,
  });
  const outcomes = await Promise.all(
    chosen.selected.map(async (connection) => ({
      connectionId: connection.id,
      outcome: await extendOne({
        connectionId: connection.id,
        userId,
        reconfirmationId,
        copyHash: input.copyHash,
        user,
        checkedAtVersion: connection.version,
        claimed: claims.get(connection.id) ?? null,
        startTrip,
        claimRead,
      }),
    })),
  );
  const funnelEvents: FunnelEventInput[] = [
    ...chosen.selected.map((c) => ({
      step: "CONFIRMED" as const,
      userId,
      connectionId: c.id,
      providerId: c.providerId,
    })),
    ...outcomes.flatMap(({ connectionId, outcome }) => {
      // Another submission's result was already counted when it happened.
      const step = outcome.handledIn ? undefined : FUNNEL_STEP[outcome.kind];
      const providerId = chosen.selected.find((c) => c.id === connectionId)?.providerId;
      return step ? [{ step, userId, connectionId, providerId }] : [];
    }),
  ];
  // Every bank's result came from another submission (a double click, a second tab): show that one.
  const handledIn = [...new Set(outcomes.map(({ outcome }) => outcome.handledIn))];
  if (handledIn.length === 1 && handledIn[0]) {
    return { kind: "finished", reconfirmationId: handledIn[0], outcomes, funnelEvents };
  }
  const firstLink = outcomes.flatMap(({ outcome }) =>
    outcome.kind === "bank" && outcome.userInputLink ? [outcome.userInputLink] : [],
  )[0];
  return { kind: "finished", reconfirmationId, outcomes, firstLink, funnelEvents };
}

import type { Metadata } from "next";
import Link from "next/link";
import { after } from "next/server";
import { type Actor, requireActor } from "@/lib/auth/reminder-session";
import { brand } from "@/lib/brand";
import { now } from "@/lib/clock";
import { consentState, justRenewed } from "@/lib/connections/consent-state";
import {
  type ConnectionRow,
  connectionMilestones,
  dueFor,
  getUserConnections,
} from "@/lib/connections/queries";
import { copyFor } from "@/lib/connections/reconfirm/workflow";
import { statusDetail, statusLabel, statusLine } from "@/lib/connections/status-words";
import { recordFunnelEvent } from "@/lib/funnel/record";
import { isRecordId } from "@/lib/ids";
import { nextRemindersFor } from "@/lib/reminders/schedule";
import { AlreadyRenewed } from "./_components/already-renewed";
import { BankChoice, type BankExtras } from "./_components/bank-choice";
import { ConsentPoints } from "./_components/consent-points";
import { NotNow } from "./_components/not-now";
import { ReconfirmForm } from "./_components/reconfirm-form";
import { StoppedBanks } from "./_components/stopped-banks";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Keep sharing?" };

type Search = Promise<{
  connection?: string | string[];
  all?: string;
  src?: string;
  stopped?: string | string[];
  later?: string;
}>;

function accessLine(connection: ConnectionRow, at: Date): string {
  const facts = { state: consentState(connection, at), consentExpiresAt: connection.consentExpiresAt };
  return `${statusLabel(facts)}. ${statusDetail(facts, brand().appName)}`;
}

// Said before the yes, on every try. Outside the consent wording template: it is about the trip, not
// the consent. Any bank may ask on a first try (TrueLayer decides only after the yes), so that is said
// as a "may"; a bank that asked last time, or one we know needs the user, "will probably".
function bankTripNote(connection: ConnectionRow, at: Date): string {
  const likely = consentState(connection, at) === "needs_bank" || connection.bankAskedLast;
  return likely
    ? `${connection.providerName} will probably ask you to log in to confirm it's you. We'll take you there and bring you back here.`
    : `${connection.providerName} may ask you to log in to confirm it's you. If it does, we'll take you there and bring you back here.`;
}

async function shownConnections(actor: Actor, named: string | undefined, at: Date) {
  const { user, only } = actor;
  if (!named) {
    const due = await dueFor(user.id, at);
    return { shown: due.filter((row) => !only || only.has(row.id)), renewed: [] };
  }
  const rows = (await getUserConnections(user.id, [named])).filter((row) => row.status !== "REVOKED");
  return {
    shown: rows.filter((row) => !justRenewed(row, at)),
    renewed: rows.filter((row) => justRenewed(row, at)),
  };
}

export default async function ReconfirmPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const named = isRecordId(params.connection) ? params.connection : undefined;
  const stoppedIds = [params.stopped ?? []].flat().filter(isRecordId).slice(0, 20);
  const fromReminder = params.src === "reminder";
  const returnTo = new URLSearchParams({
    ...(named ? { connection: named } : {}),
    ...(fromReminder ? { src: "reminder" } : {}),
  });
  const actor = await requireActor(`/reconfirm${returnTo.size > 0 ? `?${returnTo}` : ""}`, [
    ...(named ? [named] : []),
    ...stoppedIds,
  ]);
  const { user } = actor;
  const at = now();
  const { shown: connections, renewed } = await shownConnections(actor, named, at);
  const stopped = stoppedIds.length
    ? (await getUserConnections(user.id, stoppedIds)).filter((c) => c.status === "REVOKED")
    : [];
  if (stopped.length > 0) {
    const milestones = await connectionMilestones(
      user.id,
      stopped.map((c) => c.id),
    );
    const banks = stopped.map((c) => ({
      id: c.id,
      providerName: c.providerName,
      stoppedAt: milestones.get(c.id)?.stoppedAt ?? null,
    }));
    const otherDue = named ? false : connections.length > 0;
    return <StoppedBanks banks={banks} otherDue={otherDue} signedIn={!actor.only} />;
  }
  if (connections.length === 0 && renewed.length > 0) return <AlreadyRenewed renewed={renewed} />;
  if (connections.length === 0) {
    return (
      <>
        <h1 className="text-2xl font-bold">Nothing to renew right now</h1>
        <p className="mt-2 text-base text-muted">Your bank connections don't need you at the moment.</p>
        <Link
          href="/connections"
          className="mt-4 inline-flex min-h-11 items-center font-medium text-brand-700 underline"
        >
          Back to your connections
        </Link>
      </>
    );
  }
  if (params.later === "1") {
    const { enabled, next } = await nextRemindersFor(user.id, connections, at);
    const banks = connections.map((c) => ({
      id: c.id,
      line: statusLine(c.providerName, { state: consentState(c, at), consentExpiresAt: c.consentExpiresAt }),
      next: next.get(c.id),
    }));
    return <NotNow banks={banks} enabled={enabled} signedIn={!actor.only} />;
  }
  const { copy, hash } = copyFor(connections, at);
  const extras: Record<string, BankExtras> = Object.fromEntries(
    connections.map((c) => [
      c.id,
      { logoUrl: c.providerLogoUrl, accessLine: accessLine(c, at), bankTrip: bankTripNote(c, at) },
    ]),
  );
  // Counting for the operator's funnel waits until the page has gone out. "Opened the email link" is
  // counted where a reminder link is spent (lib/auth/reminder-link.ts), never from this URL.
  after(() => recordFunnelEvent({ step: "SCREEN_SEEN", userId: user.id }));
  const single = copy.banks.length === 1 ? copy.banks[0] : undefined;
  return (
    <ReconfirmForm
      copyHash={hash}
      shownIds={copy.banks.map((b) => b.connectionId)}
      singleId={single?.connectionId}
      heading={copy.heading}
      summary={copy.summary}
      choices={
        single ? (
          <BankChoice bank={single} extras={extras[single.connectionId]} />
        ) : (
          <ul className="mt-3 space-y-3">
            {copy.banks.map((bank) => (
              <li key={bank.connectionId}>
                <BankChoice
                  bank={bank}
                  extras={extras[bank.connectionId]}
                  selectable
                  defaultChecked={params.all === "1"}
                />
              </li>
            ))}
          </ul>
        )
      }
      consent={<ConsentPoints copy={copy} />}
      laterHref={`/reconfirm?${new URLSearchParams({ ...Object.fromEntries(returnTo), later: "1" })}`}
    />
  );
}

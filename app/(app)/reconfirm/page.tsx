import type { Metadata } from "next";
import { after } from "next/server";
import { requireActor } from "@/lib/auth/reminder-session";
import { brand } from "@/lib/brand";
import { now } from "@/lib/clock";
import { connectionMilestones, getUserConnections } from "@/lib/connections/queries";
import { bankExtras, shownConnections } from "@/lib/connections/reconfirm/screen";
import { copyFor } from "@/lib/connections/reconfirm/workflow";
import { connectionWords } from "@/lib/connections/status-words";
import { recordFunnelEvent } from "@/lib/funnel/record";
import { isRecordId } from "@/lib/ids";
import { nextRemindersFor } from "@/lib/reminders/schedule";
import { recordIds } from "@/lib/search-params";
import { AlreadyRenewed } from "./_components/already-renewed";
import { BankChoice } from "./_components/bank-choice";
import { ConsentPoints } from "./_components/consent-points";
import { NotNow } from "./_components/not-now";
import { NothingToRenew } from "./_components/nothing-to-renew";
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

export default async function ReconfirmPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const named = isRecordId(params.connection) ? params.connection : undefined;
  const stoppedIds = recordIds(params.stopped);
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
  if (connections.length === 0) return <NothingToRenew />;
  if (params.later === "1") {
    const { enabled, next } = await nextRemindersFor(user.id, connections, at);
    const banks = connections.map((c) => ({
      id: c.id,
      line: connectionWords(c, at, brand().appName).line,
      next: next.get(c.id),
    }));
    return <NotNow banks={banks} enabled={enabled} signedIn={!actor.only} />;
  }
  const { copy, hash } = copyFor(connections, at);
  const extras = bankExtras(connections, at, brand().appName);
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

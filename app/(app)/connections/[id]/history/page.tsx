import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ConnectionsLink } from "@/app/_components/links";
import { requireUser } from "@/lib/auth/session";
import { brand } from "@/lib/brand";
import { now } from "@/lib/clock";
import { buildHistory } from "@/lib/connections/history-entries";
import { connectionHistory, connectionMilestones, getConnectionForUser } from "@/lib/connections/queries";
import { connectionWords } from "@/lib/connections/status-words";
import { formatDate, formatDateTime } from "@/lib/format";
import { isRecordId } from "@/lib/ids";
import { StateBadge } from "../../../_components/state-badge";
import { WordingSeen } from "./_components/wording-seen";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Connection history" };

export default async function HistoryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/connections/${encodeURIComponent(id)}/history`);
  if (!isRecordId(id)) notFound();
  const [connection, history, milestones] = await Promise.all([
    getConnectionForUser(id, user.id),
    connectionHistory(user.id, id),
    connectionMilestones(user.id, [id]),
  ]);
  if (!connection) notFound();
  const at = now();
  const words = connectionWords(
    { ...connection, stoppedAt: milestones.get(id)?.stoppedAt },
    at,
    brand().appName,
  );
  const entries = buildHistory(connection, history.events, history.records, at).reverse();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold break-words sm:text-3xl">History: {connection.providerName}</h1>
        <p className="mt-2 flex flex-wrap items-center gap-2 text-base text-muted">
          <span>Now:</span> <StateBadge words={words} />
        </p>
      </div>
      <ol aria-label="What happened, newest first" className="space-y-3">
        {entries.map((entry, n) => (
          <li
            // Entries have no id of their own; their order is fixed by the page.
            // biome-ignore lint/suspicious/noArrayIndexKey: a static, server-rendered list
            key={n}
            className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-black/5"
          >
            <p className="text-base font-semibold">{entry.title}</p>
            <p className="text-sm text-muted">
              <time dateTime={entry.at.toISOString()}>{formatDateTime(entry.at)}</time>
            </p>
            {entry.detail ? <p className="mt-1 text-base">{entry.detail}</p> : null}
            {entry.wording === null ? (
              <p className="mt-1 text-sm text-muted">The exact words of this one were not kept.</p>
            ) : entry.wording ? (
              <WordingSeen wording={entry.wording} />
            ) : null}
          </li>
        ))}
      </ol>
      <p className="text-sm text-muted">
        Granted {formatDate(connection.consentCreatedAt)} · {words.label}
      </p>
      <ConnectionsLink className="" />
    </div>
  );
}

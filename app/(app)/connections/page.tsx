import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { brand } from "@/lib/brand";
import { now } from "@/lib/clock";
import { refreshBalancesAfterView } from "@/lib/connections/balances/refresh";
import { dashboardCards } from "@/lib/connections/dashboard";
import { getConnectionsForUser, milestonesOfUserConnections } from "@/lib/connections/queries";
import { ConnectBankForm } from "../_components/connect-bank-form";
import { ConnectionCard } from "../_components/connection-card";
import { StoppedNotice } from "../_components/stopped-notice";

export const metadata: Metadata = { title: "Your bank connections" };

export default async function ConnectionsPage({
  searchParams,
}: {
  searchParams: Promise<{ stopped?: string | string[] }>;
}) {
  const { appName } = brand();
  const user = await requireUser("/connections");
  // One statement (shared with the banner): the connections and their milestones.
  const [connections, milestones, { stopped }] = await Promise.all([
    getConnectionsForUser(user.id),
    milestonesOfUserConnections(user.id),
    searchParams,
  ]);
  const at = now();
  // Never waits for the bank: stale figures are read after the response.
  const checking = await refreshBalancesAfterView(user.id, connections);
  const { live, ended, justStopped } = dashboardCards(connections, milestones, stopped, at, appName);

  return (
    <div className="space-y-6">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-bold sm:text-3xl">Your bank connections</h1>
          <p className="mt-2 text-base text-muted">What each bank shares with {appName}, and until when.</p>
        </div>
        <ConnectBankForm />
      </div>
      {justStopped.map((connection) => (
        <StoppedNotice key={connection.id} connection={connection} />
      ))}
      {live.length === 0 ? (
        <section
          aria-labelledby="empty-heading"
          className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-black/5"
        >
          <h2 id="empty-heading" className="text-lg font-semibold">
            {ended.length > 0 ? `No bank is sharing data with ${appName} now` : "No bank connected yet"}
          </h2>
          <p className="mt-2 text-base text-muted">
            Connect a bank to let {appName} see your accounts and balances. You choose the bank, log in there,
            and can stop sharing at any time.
          </p>
        </section>
      ) : (
        <section aria-labelledby="live-heading">
          <h2 id="live-heading" className="sr-only">
            Sharing now
          </h2>
          <ul className="space-y-4">
            {live.map(({ connection, words, milestones }) => (
              <li key={connection.id}>
                <ConnectionCard
                  connection={connection}
                  words={words}
                  milestones={milestones}
                  at={at}
                  checking={checking.has(connection.id)}
                />
              </li>
            ))}
          </ul>
        </section>
      )}
      {ended.length > 0 ? (
        <section aria-labelledby="ended-heading" className="space-y-4">
          <h2 id="ended-heading" className="text-lg font-semibold">
            Stopped
          </h2>
          <ul className="space-y-4">
            {ended.map(({ connection, words, milestones }) => (
              <li key={connection.id}>
                <ConnectionCard connection={connection} words={words} milestones={milestones} at={at} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

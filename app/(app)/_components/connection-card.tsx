import Link from "next/link";
import { brand } from "@/lib/brand";
import { isDue } from "@/lib/connections/consent-state";
import { describeScopes } from "@/lib/connections/describe";
import type { ConnectionMilestones, ConnectionRow } from "@/lib/connections/queries";
import type { ConnectionWords } from "@/lib/connections/status-words";
import { formatDate } from "@/lib/format";
import { AccountBalance, type BalanceState, CheckAgainLink } from "./account-balance";
import { BankLogo } from "./bank-logo";
import { ConnectBankForm } from "./connect-bank-form";
import { StateBadge } from "./state-badge";

type Props = {
  connection: ConnectionRow;
  words: ConnectionWords;
  milestones?: ConnectionMilestones;
};

const BALANCE_STATE: Record<ConnectionWords["state"], BalanceState> = {
  active: "live",
  expiring: "live",
  lapsed: "paused",
  needs_bank: "paused",
  revoked: "off",
};

/** One bank connection: what is shared, why, since and until when, and what the user can do. */
export function ConnectionCard({
  connection,
  words,
  milestones,
  at,
  checking = false,
}: Props & {
  at: Date;
  // Its balances are being read after this page: offer the link that shows them.
  checking?: boolean;
}) {
  const balances = connection.scopes.includes("balance");
  const headingId = `connection-${connection.id}`;
  const { state } = words;
  const stopped = state === "revoked";
  const lastReconfirmed = milestones?.lastReconfirmedAt;
  return (
    <article
      aria-labelledby={headingId}
      className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-black/5 sm:p-5"
    >
      <div className="flex flex-wrap items-center gap-3">
        <BankLogo name={connection.providerName} src={connection.providerLogoUrl} />
        <h3 id={headingId} className="min-w-32 flex-1 text-lg font-semibold break-words">
          {connection.providerName}
        </h3>
        <StateBadge words={words} />
      </div>
      <p className="mt-3 text-base font-semibold">{words.detail}</p>
      {stopped ? null : (
        <dl className="mt-4 space-y-3 text-base">
          <div>
            <dt className="text-sm font-semibold text-muted">Accounts</dt>
            <dd>
              <ul className="mt-1 space-y-1">
                {connection.accounts.map((account) => (
                  <li key={account.id}>
                    <div className="flex flex-wrap justify-between gap-x-3">
                      <span>{account.displayName}</span>
                      {account.maskedNumber ? (
                        <span className="text-muted">
                          <span className="sr-only">ending </span>
                          {account.maskedNumber}
                        </span>
                      ) : null}
                    </div>
                    {balances ? (
                      <AccountBalance balance={account.balance} state={BALANCE_STATE[state]} at={at} />
                    ) : null}
                  </li>
                ))}
              </ul>
              {checking ? (
                <CheckAgainLink connectionId={connection.id} bankName={connection.providerName} at={at} />
              ) : null}
            </dd>
          </div>
          <div>
            <dt className="text-sm font-semibold text-muted">Data shared</dt>
            <dd>
              <ul className="mt-1 list-disc space-y-1 pl-5">
                {describeScopes(connection.scopes).map((cluster) => (
                  <li key={cluster}>{cluster}</li>
                ))}
              </ul>
            </dd>
          </div>
          <div>
            <dt className="text-sm font-semibold text-muted">Why</dt>
            <dd>{brand().sharingPurpose}</dd>
          </div>
          <div>
            <dt className="text-sm font-semibold text-muted">Granted</dt>
            <dd>{formatDate(connection.consentCreatedAt)}</dd>
          </div>
          <div>
            <dt className="text-sm font-semibold text-muted">Last reconfirmed</dt>
            <dd>{lastReconfirmed ? formatDate(lastReconfirmed) : "Not yet"}</dd>
          </div>
        </dl>
      )}
      <div className="mt-4 flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-center">
        {isDue(state) ? (
          <Link
            href={`/reconfirm?connection=${encodeURIComponent(connection.id)}`}
            className="inline-flex min-h-12 items-center justify-center rounded-lg bg-brand-700 px-6 text-base font-semibold text-white hover:bg-brand-800"
          >
            Reconfirm<span className="sr-only">&nbsp;{connection.providerName}</span>
          </Link>
        ) : null}
        {stopped ? (
          <ConnectBankForm
            label={
              <>
                Connect again<span className="sr-only">&nbsp;{connection.providerName}</span>
              </>
            }
            connectionId={connection.id}
            tone="quiet"
          />
        ) : (
          <Link
            id={`stop-${connection.id}`}
            href={`/connections/${encodeURIComponent(connection.id)}/stop`}
            className="inline-flex min-h-12 scroll-mt-4 items-center justify-center rounded-lg px-6 text-base font-semibold text-red-800 ring-1 ring-red-800 hover:bg-red-50 target:ring-4"
          >
            Stop sharing<span className="sr-only">&nbsp;from {connection.providerName}</span>
          </Link>
        )}
        <Link
          href={`/connections/${encodeURIComponent(connection.id)}/history`}
          className="inline-flex min-h-12 items-center font-medium text-brand-700 underline"
        >
          History<span className="sr-only">&nbsp;of {connection.providerName}</span>
        </Link>
      </div>
    </article>
  );
}

import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { ButtonLink } from "@/app/_components/links";
import { requireUser } from "@/lib/auth/session";
import { brand } from "@/lib/brand";
import { resultView } from "@/lib/connections/connect/outcome";
import { duplicateWarning, sameBankElsewhere } from "@/lib/connections/duplicates";
import {
  getCodeExchangeForUser,
  getConnectionForUser,
  getConnectionsForUser,
} from "@/lib/connections/queries";
import { formatDate } from "@/lib/format";
import { isRecordId } from "@/lib/ids";
import { ConnectBankForm } from "../../../_components/connect-bank-form";

export const metadata: Metadata = { title: "Connecting your bank" };

export default async function ConnectResultPage({ params }: { params: Promise<{ exchangeId: string }> }) {
  const { appName } = brand();
  const { exchangeId } = await params;
  const user = await requireUser(`/connections/result/${encodeURIComponent(exchangeId)}`);
  const exchange = isRecordId(exchangeId) ? await getCodeExchangeForUser(exchangeId, user.id) : null;
  if (!exchange) notFound();
  const outcome = resultView(exchange.outcome);
  if (outcome.kind === "extend") redirect(`/reconfirm/progress?exchange=${encodeURIComponent(exchange.id)}`);
  if (outcome.kind === "parked") redirect(`/connections/finish?exchange=${encodeURIComponent(exchange.id)}`);
  const connection = exchange.connectionId
    ? await getConnectionForUser(exchange.connectionId, user.id)
    : null;

  if ((outcome.kind === "connected" || outcome.kind === "reconnected") && connection) {
    const twice =
      outcome.kind === "connected"
        ? duplicateWarning(
            connection.providerName,
            sameBankElsewhere(connection, await getConnectionsForUser(user.id)).length,
          )
        : undefined;
    return (
      <div className="space-y-5">
        <h1 className="text-2xl font-bold sm:text-3xl">
          {connection.providerName} is {outcome.kind === "reconnected" ? "connected again" : "connected"}.
        </h1>
        <p className="text-lg">Sharing until {formatDate(connection.consentExpiresAt)}.</p>
        <p className="text-base text-muted">
          {appName} can now see{" "}
          {connection.accounts.length === 1 ? "1 account" : `${connection.accounts.length} accounts`} at{" "}
          {connection.providerName}. You can stop sharing at any time.
        </p>
        {twice ? (
          <p className="rounded-lg border border-amber-400 bg-amber-50 p-4 text-base">{twice}</p>
        ) : null}
        <ButtonLink href="/connections" secondary>
          See your connections
        </ButtonLink>
      </div>
    );
  }
  if (outcome.kind === "pending") {
    return (
      <div className="space-y-5">
        <h1 className="text-2xl font-bold sm:text-3xl">We're still finishing connecting your bank</h1>
        <p className="text-base">This usually takes a few seconds.</p>
        <ButtonLink href={`/connections/result/${encodeURIComponent(exchange.id)}`} secondary>
          Check again
        </ButtonLink>
      </div>
    );
  }
  const message =
    outcome.kind === "failed" ? outcome.message : "This bank connection has since been removed.";
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold sm:text-3xl">Your bank wasn't connected</h1>
      <p role="alert" className="text-base">
        {message}
      </p>
      <div className="flex flex-col gap-3 sm:flex-row">
        <ConnectBankForm label="Connect again" />
        <ButtonLink href="/connections" secondary>
          Back to your connections
        </ButtonLink>
      </div>
    </div>
  );
}

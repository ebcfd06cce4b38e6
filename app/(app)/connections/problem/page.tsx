import type { Metadata } from "next";
import { ButtonLink } from "@/app/_components/links";
import { requireUser } from "@/lib/auth/session";
import { brand } from "@/lib/brand";
import { ConnectBankForm } from "../../_components/connect-bank-form";
import { RenewedReturn } from "./renewed-return";

export const metadata: Metadata = { title: "That didn't work" };

export default async function CallbackProblemPage({
  searchParams,
}: {
  searchParams: Promise<{ reason?: string; from?: string; connection?: string }>;
}) {
  const { appName } = brand();
  const user = await requireUser("/connections");
  const { reason, from, connection } = await searchParams;
  if (reason === "already_renewed") {
    const renewed = await RenewedReturn({ connectionId: connection, userId: user.id });
    if (renewed) return renewed;
  }
  // A return with no trip, or a stale one, was a renewal's: a new connection is never the way on from it.
  const noTrip = reason === "no_trip" || reason === "already_renewed";
  const renewing = from === "reconfirm";
  const message =
    reason === "bank_error"
      ? renewing
        ? "Your bank or TrueLayer reported a problem, so nothing was renewed and your connection is as it was. You can try again from your connections."
        : from === "connect"
          ? "Your bank or TrueLayer reported a problem, so no bank was connected and nothing was shared. Please try again."
          : "Your bank or TrueLayer reported a problem, so nothing was changed. You can try again from your connections."
      : reason === "unexpected"
        ? "Something went wrong on our side while finishing with your bank. Nothing was changed."
        : reason === "not_owner"
          ? `This bank connection was started from a different ${appName} account, so it was not added to yours and nothing your bank sent was kept.`
          : reason === "too_many"
            ? "Too many links back from a bank that we didn't start have come from your network. Nothing was changed. Please wait ten minutes, then start again."
            : "This link back from your bank has expired, was already used or wasn't started here. Nothing was changed and no data was shared.";

  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold sm:text-3xl">
        {renewing
          ? "We couldn't finish renewing with your bank"
          : noTrip
            ? "That return from your bank wasn't used"
            : reason === "bank_error" && from !== "connect"
              ? "We couldn't finish with your bank"
              : "We couldn't finish connecting your bank"}
      </h1>
      <p role="alert" className="text-base">
        {message}
      </p>
      <div className="flex flex-col gap-3 sm:flex-row">
        {noTrip ? null : <ConnectBankForm label="Start again" />}
        <ButtonLink href="/connections" secondary>
          Back to your connections
        </ButtonLink>
      </div>
    </div>
  );
}

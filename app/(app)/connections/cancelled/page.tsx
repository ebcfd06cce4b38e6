import type { Metadata } from "next";
import { ButtonLink } from "@/app/_components/links";
import { requireUser } from "@/lib/auth/session";
import { brand } from "@/lib/brand";
import { ConnectBankForm } from "../../_components/connect-bank-form";

export const metadata: Metadata = { title: "Cancelled" };

type Params = { from?: string; reconnect?: string };

export default async function CancelledPage({ searchParams }: { searchParams: Promise<Params> }) {
  await requireUser("/connections");
  const { appName } = brand();
  const { from, reconnect } = await searchParams;
  const reconfirming = from !== "connect" && !reconnect;

  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold sm:text-3xl">You cancelled — nothing changed</h1>
      {/* TrueLayer sends one cancel from its bank-choice screen and from the bank alike: words true of both. */}
      <p className="text-base">
        {reconfirming
          ? "Your bank connections are as they were. If access is ending soon, you can review it again whenever you're ready."
          : `No bank was connected and nothing was shared with ${appName}. You can try again whenever you're ready.`}
      </p>
      {reconfirming ? null : (
        <p className="text-base text-muted">
          If you cancelled on the bank-choice screen, nothing was sent to any bank. A cancel at the bank
          itself gives no access either.
        </p>
      )}
      <div className="flex flex-col gap-3 sm:flex-row">
        {reconfirming ? (
          <ButtonLink href="/reconfirm">Try again</ButtonLink>
        ) : (
          <ConnectBankForm label="Try again" connectionId={reconnect} />
        )}
        <ButtonLink href="/connections" secondary>
          Back to your connections
        </ButtonLink>
      </div>
    </div>
  );
}

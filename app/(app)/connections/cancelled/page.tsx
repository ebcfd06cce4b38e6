import type { Metadata } from "next";
import { ButtonLink } from "@/app/_components/links";
import { requireUser } from "@/lib/auth/session";
import { brand } from "@/lib/brand";
import { cancelledWords } from "@/lib/connections/connect/cancelled-words";
import { ConnectBankForm } from "../../_components/connect-bank-form";

export const metadata: Metadata = { title: "Cancelled" };

type Params = { from?: string; reconnect?: string };

export default async function CancelledPage({ searchParams }: { searchParams: Promise<Params> }) {
  const [, params] = await Promise.all([requireUser("/connections"), searchParams]);
  const words = cancelledWords(params, brand().appName);

  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold sm:text-3xl">You cancelled — nothing changed</h1>
      <p className="text-base">{words.body}</p>
      {words.note ? <p className="text-base text-muted">{words.note}</p> : null}
      <div className="flex flex-col gap-3 sm:flex-row">
        {words.reconfirming ? (
          <ButtonLink href="/reconfirm">Try again</ButtonLink>
        ) : (
          <ConnectBankForm label="Try again" connectionId={params.reconnect} />
        )}
        <ButtonLink href="/connections" secondary>
          Back to your connections
        </ButtonLink>
      </div>
    </div>
  );
}

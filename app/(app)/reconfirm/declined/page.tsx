import type { Metadata } from "next";
import { ConnectionsLink } from "@/app/_components/links";
import { requireActor, toSignIn } from "@/lib/auth/reminder-session";
import { brand } from "@/lib/brand";
import { getUserConnections } from "@/lib/connections/queries";
import { bankList } from "@/lib/connections/status-words";
import { recordIds } from "@/lib/search-params";
import { BanksNamed } from "../_components/banks-named";
import { ConfirmDeclineForm } from "../_components/confirm-decline-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Stop sharing?" };

export default async function DeclinedPage({
  searchParams,
}: {
  searchParams: Promise<{ c?: string | string[] }>;
}) {
  const { appName } = brand();
  const { c } = await searchParams;
  const ids = recordIds(c);
  const { user, only } = await requireActor("/connections", ids);
  if (only && ids.length === 0) toSignIn("/connections");
  const connections = (await getUserConnections(user.id, ids)).filter((x) => x.status !== "REVOKED");
  if (connections.length === 0) {
    return (
      <>
        <h1 className="text-2xl font-bold">No bank connection to show</h1>
        <p className="mt-2 text-base text-muted">
          This address names no bank connection of yours that is still sharing data.
        </p>
        <ConnectionsLink />
      </>
    );
  }
  const banks = bankList(connections.map((x) => x.providerName));
  const many = connections.length > 1;
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold break-words sm:text-3xl">
        {many ? `Stop sharing from ${connections.length} banks?` : `Stop sharing from ${banks}?`}
      </h1>
      {many ? <BanksNamed connections={connections} /> : null}
      <ul className="list-disc space-y-2 pl-5 text-base">
        <li>
          {appName} stops seeing data from {banks} now, and we delete our copy of the access.
        </li>
        <li>To share again later, you'll connect {many ? "each bank" : banks} again from the start.</li>
      </ul>
      <ConfirmDeclineForm
        connectionIds={connections.map((x) => x.id)}
        label={many ? `Stop sharing from ${connections.length} banks` : `Stop sharing from ${banks}`}
      />
    </div>
  );
}

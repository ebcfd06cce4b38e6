import type { Metadata } from "next";
import Link from "next/link";
import { BankLogo } from "@/app/(app)/_components/bank-logo";
import { requireActor, toSignIn } from "@/lib/auth/reminder-session";
import { now } from "@/lib/clock";
import { getUserConnections } from "@/lib/connections/queries";
import { formatDate } from "@/lib/format";
import { isRecordId } from "@/lib/ids";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Not renewed" };

export default async function DeclinedPage({
  searchParams,
}: {
  searchParams: Promise<{ c?: string | string[] }>;
}) {
  const { c } = await searchParams;
  const ids = (Array.isArray(c) ? c : c ? [c] : []).filter(isRecordId).slice(0, 20);
  const { user, only } = await requireActor("/connections", ids);
  if (only && ids.length === 0) toSignIn("/connections");
  const connections = (await getUserConnections(user.id, ids)).filter((x) => x.status !== "REVOKED");
  const at = now();
  if (connections.length === 0) {
    return (
      <>
        <h1 className="text-2xl font-bold">No bank connection to show</h1>
        <p className="mt-2 text-base text-muted">
          This address names no bank connection of yours that is still sharing data.
        </p>
        <Link
          href="/connections"
          className="mt-6 inline-flex min-h-11 items-center font-medium text-brand-700 underline"
        >
          Back to your connections
        </Link>
      </>
    );
  }
  return (
    <>
      <h1 className="text-2xl font-bold">We won't renew access</h1>
      <p className="mt-2 text-base text-muted">
        Nothing has been deleted. Access runs out on its end date, or you can stop it now.
      </p>
      <ul className="mt-6 space-y-3">
        {connections.map((connection) => {
          const end = formatDate(connection.consentExpiresAt);
          const ended = connection.consentExpiresAt <= at;
          return (
            <li key={connection.id} className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-black/5">
              <div className="flex items-start gap-3">
                <BankLogo name={connection.providerName} src={connection.providerLogoUrl} />
                <div className="min-w-0 flex-1">
                  <p className="text-base font-semibold">
                    {connection.providerName}: {ended ? `access ended on ${end}` : `access ends on ${end}`}
                  </p>
                  <div className="mt-3 flex flex-col gap-2 sm:flex-row sm:gap-4">
                    <Link
                      href={`/connections/${encodeURIComponent(connection.id)}/stop`}
                      className="inline-flex min-h-11 items-center justify-center rounded-lg bg-white px-5 py-2 text-center font-semibold text-red-800 ring-1 ring-red-300 hover:bg-red-50"
                    >
                      Stop sharing with {connection.providerName} now
                    </Link>
                    <Link
                      href={`/reconfirm?connection=${encodeURIComponent(connection.id)}`}
                      className="inline-flex min-h-11 items-center font-medium text-brand-700 underline"
                    >
                      Changed your mind? Keep sharing
                    </Link>
                  </div>
                </div>
              </div>
            </li>
          );
        })}
      </ul>
      <Link
        href="/connections"
        className="mt-6 inline-flex min-h-11 items-center font-medium text-brand-700 underline"
      >
        Back to your connections
      </Link>
    </>
  );
}

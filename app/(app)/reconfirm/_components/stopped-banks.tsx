import Link from "next/link";
import { bankList } from "@/lib/connections/status-words";
import { formatDate, formatTime } from "@/lib/format";

const link = "font-medium text-brand-700 underline";

/**
 * "Yes, keep sharing" pressed for a bank stopped since the page was shown (another tab or device):
 * nothing was renewed, when it stopped, and how to share from it again.
 */
export function StoppedBanks({
  banks,
  otherDue,
  signedIn,
}: {
  banks: { id: string; providerName: string; stoppedAt: Date | null }[];
  otherDue: boolean;
  signedIn: boolean;
}) {
  const names = bankList(banks.map((b) => b.providerName));
  return (
    <>
      <h1 className="text-2xl font-bold">Sharing from {names} was stopped</h1>
      <p className="mt-2 text-base">
        Nothing was renewed: sharing stopped after this page was opened, in another tab, window or device.
      </p>
      <ul className="mt-4 space-y-3">
        {banks.map((bank) => (
          <li key={bank.id} className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-gray-300">
            <p className="text-base font-semibold">
              {bank.providerName}: stopped
              {bank.stoppedAt ? ` on ${formatDate(bank.stoppedAt)} at ${formatTime(bank.stoppedAt)}` : null}
            </p>
            <p className="mt-1 text-base text-muted">
              To share from {bank.providerName} again, press &ldquo;Connect again&rdquo; on its card on your
              connections page
              {signedIn ? "" : " after you sign in"}. Your bank will ask you to approve it.
            </p>
          </li>
        ))}
      </ul>
      <p className="mt-6 flex flex-col gap-2">
        {signedIn ? (
          <Link href="/connections" className={`${link} inline-flex min-h-11 items-center`}>
            Go to your connections
          </Link>
        ) : (
          <Link
            href="/signin?callbackUrl=%2Fconnections"
            className={`${link} inline-flex min-h-11 items-center`}
          >
            Sign in to connect again
          </Link>
        )}
        {otherDue ? (
          <Link href="/reconfirm" className={`${link} inline-flex min-h-11 items-center`}>
            Renew your other banks
          </Link>
        ) : null}
      </p>
    </>
  );
}

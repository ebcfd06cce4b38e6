import Link from "next/link";
import { formatDate } from "@/lib/format";
import type { NextReminder } from "@/lib/reminders/next";

export type LaterBank = { id: string; line: string; next: NextReminder | undefined };

const link = "inline-flex min-h-11 items-center font-medium text-brand-700 underline";

function nextMail(next: NextReminder | undefined, enabled: boolean): string {
  if (!enabled) return "Reminder emails are off, so we won't email you about it.";
  switch (next?.kind) {
    case "next_run":
      return "A reminder email about it is due: it goes out with our next daily run.";
    case "on":
      return `We'll email you a reminder on ${formatDate(next.at)} or soon after.`;
    default:
      return "We won't email you about it again.";
  }
}

/** "Not now": nothing was changed, and when the next reminder comes. */
export function NotNow({
  banks,
  enabled,
  signedIn,
}: {
  banks: LaterBank[];
  enabled: boolean;
  signedIn: boolean;
}) {
  return (
    <>
      <h1 className="text-2xl font-bold">Nothing changed</h1>
      <p className="mt-2 text-base">You didn't renew or stop anything. You can decide later.</p>
      <ul className="mt-4 space-y-3">
        {banks.map((bank) => (
          <li key={bank.id} className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-black/5">
            <p className="text-base font-semibold">{bank.line}</p>
            <p className="mt-1 text-base text-muted">{nextMail(bank.next, enabled)}</p>
          </li>
        ))}
      </ul>
      {signedIn ? (
        <p className="mt-6 flex flex-col gap-2">
          <Link href="/connections" className={link}>
            Back to your connections
          </Link>
          {enabled ? null : (
            <Link href="/settings" className={link}>
              Turn reminder emails on in Settings
            </Link>
          )}
        </p>
      ) : (
        <p className="mt-6 text-base">You can close this page.</p>
      )}
    </>
  );
}

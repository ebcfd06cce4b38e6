import type { Metadata } from "next";
import Link from "next/link";
import { requireRecentSignIn } from "@/lib/auth/step-up";
import { getConnectionsForUser } from "@/lib/connections/queries";
import { DeleteAccountForm } from "./_components/delete-account-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Delete your account" };

export default async function DeleteAccountPage() {
  const { user } = await requireRecentSignIn("/settings/delete");
  const live = (await getConnectionsForUser(user.id)).filter((c) => c.status !== "REVOKED");
  const banks = [...new Set(live.map((c) => c.providerName))];

  return (
    <>
      <h1 className="text-2xl font-bold">Delete your account</h1>
      <section className="mt-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-black/5">
        <h2 className="text-lg font-semibold">What happens</h2>
        <ol className="mt-3 list-decimal space-y-2 pl-5 text-base">
          <li>
            {banks.length
              ? `Sharing stops at TrueLayer for ${banks.join(", ")}. If TrueLayer cannot confirm it straight away, we keep trying, and we tell you which banks are still waiting.`
              : "You share no bank data through Reconsent now, so there is nothing to stop."}
          </li>
          <li>
            Every device you are signed in on is signed out, and sign-in links you were sent stop working.
          </li>
          <li>
            Your name, email address, bank connections, accounts, reminders and settings are removed. The bank
            tokens of a connection TrueLayer has not confirmed stopping are kept only to stop it, then
            removed.
          </li>
          <li>
            A record of each consent you gave stays, without your name, email address or account details: the
            date, the bank, the data shared and the wording you agreed to. The law requires us to keep it.
          </li>
          <li>We send a confirmation to your email address.</li>
        </ol>
        <p className="mt-4 text-sm text-muted">
          Want a copy first?{" "}
          <Link href="/settings/data" className="font-medium text-brand-700 underline">
            See and download your data
          </Link>
          .
        </p>
        <DeleteAccountForm />
      </section>
      <p className="mt-6">
        <Link href="/settings" className="font-medium text-brand-700 underline">
          Keep my account
        </Link>
      </p>
    </>
  );
}

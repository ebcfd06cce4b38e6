import type { Metadata } from "next";
import Link from "next/link";
import { REMINDER_TOKEN } from "@/lib/auth/reminder-link";
import { OpenLinkForm } from "./open-link-form";

export const dynamic = "force-dynamic";
// The URL holds a live token: as a referrer it may only go to our own origin (which also keeps the
// button's POST carrying our Origin). Nothing is looked up until the press, so a scanner learns nothing.
export const metadata: Metadata = { title: "Renew sharing", referrer: "same-origin" };

type Params = { token?: string | string[] };

export default async function ReminderLinkPage({ searchParams }: { searchParams: Promise<Params> }) {
  const raw = (await searchParams).token;
  const token = Array.isArray(raw) ? raw[0] : raw;
  if (!token || !REMINDER_TOKEN.test(token)) {
    return (
      <>
        <h1 className="text-2xl font-bold">This link is incomplete</h1>
        <p className="mt-4 text-base">
          Part of the link seems to be missing. Try opening it again from the email, or{" "}
          <Link
            href={`/signin?callbackUrl=${encodeURIComponent("/reconfirm")}`}
            className="font-semibold text-brand-700 underline"
          >
            sign in
          </Link>
          .
        </p>
      </>
    );
  }
  return (
    <>
      <h1 className="text-2xl font-bold">Renew sharing from your banks</h1>
      <p className="mt-4 text-base">
        Continue to see the banks your reminder email named, and choose whether to keep sharing.
      </p>
      <OpenLinkForm token={token} />
      <p className="mt-6 text-sm text-muted">
        This link works once. It lets you renew or stop only those banks, for 30 minutes; for anything else,
        you sign in as usual.
      </p>
    </>
  );
}

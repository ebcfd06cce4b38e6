import type { Metadata } from "next";
import { REMINDER_TOKEN } from "@/lib/auth/reminder-link";
import { firstParam } from "@/lib/search-params";
import { IncompleteLink } from "./incomplete-link";
import { OpenLinkForm } from "./open-link-form";

export const dynamic = "force-dynamic";
// The URL holds a live token: as a referrer it may only go to our own origin (which also keeps the
// button's POST carrying our Origin). Nothing is looked up until the press, so a scanner learns nothing.
export const metadata: Metadata = { title: "Renew sharing", referrer: "same-origin" };

type Params = { token?: string | string[] };

export default async function ReminderLinkPage({ searchParams }: { searchParams: Promise<Params> }) {
  const token = firstParam((await searchParams).token);
  if (!token || !REMINDER_TOKEN.test(token)) return <IncompleteLink />;
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

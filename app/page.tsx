import Link from "next/link";
import { redirect } from "next/navigation";
import { BrandMark } from "@/app/_components/brand-mark";
import { getCurrentUser } from "@/lib/auth/session";
import { brand, TRUELAYER_FIRM } from "@/lib/brand";

// A signed-in visitor has nothing to do here: the dashboard is their home.
export default async function HomePage() {
  if (await getCurrentUser()) redirect("/connections");
  const { appName } = brand();
  return (
    <main className="mx-auto max-w-2xl px-5 py-12 sm:py-20">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">
        <BrandMark />
      </p>
      <h1 className="mt-3 text-3xl font-bold leading-tight sm:text-4xl">
        Keep your bank connections working, in under a minute
      </h1>
      <p className="mt-4 text-lg text-muted">
        UK rules ask you to confirm every 90 days that you still want to share your bank data. {appName} shows
        you exactly what is shared, with whom and until when, and lets you keep sharing or stop, one bank or
        all at once.
      </p>
      <ul className="mt-8 space-y-3 text-base">
        <li className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-black/5">
          <strong>See every connection.</strong> Which bank, which accounts, what data, and the date access
          ends.
        </li>
        <li className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-black/5">
          <strong>Reconfirm in one step.</strong> Usually no trip to your bank; when your bank needs you, we
          take you there and back.
        </li>
        <li className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-black/5">
          <strong>Stop sharing at any time.</strong> Here, or at your bank.
        </li>
      </ul>
      <p className="mt-8 text-sm text-muted">
        Your data is accessed by {TRUELAYER_FIRM.name}, which is authorised by the Financial Conduct Authority
        (firm reference number {TRUELAYER_FIRM.frn}), on {appName}&apos;s behalf.
      </p>
      <Link
        href="/signin"
        className="mt-8 inline-flex min-h-12 items-center justify-center rounded-lg bg-brand-700 px-6 py-2 text-center text-base font-semibold text-white hover:bg-brand-800"
      >
        Sign in to review your connections
      </Link>
    </main>
  );
}

import type { Metadata } from "next";
import { brand, TRUELAYER_FIRM } from "@/lib/brand";
import { TRUELAYER_PRIVACY_URL } from "@/lib/connections/reconfirm/copy";
import { BALANCES_KEPT } from "@/lib/connections/status-words";
import { PlaceholderNote } from "../placeholder-note";

export const metadata: Metadata = { title: "Privacy notice" };

export default function PrivacyPage() {
  const { appName, sharingPurpose, supportEmail } = brand();
  return (
    <article className="space-y-4 text-base">
      <h1 className="text-2xl font-bold sm:text-3xl">{appName} privacy notice</h1>
      <PlaceholderNote file="app/(legal)/privacy/page.tsx (PRIVACY_URL)" />
      <h2 className="pt-2 text-lg font-semibold">What we keep</h2>
      <p>
        Your email address and name; for each bank you connect, the bank&apos;s name, your account names with
        the last four digits of each account number, the data you agreed to share, and the dates you agreed.
        Access to your bank is kept encrypted.
      </p>
      <p>{BALANCES_KEPT}</p>
      <h2 className="pt-2 text-lg font-semibold">Why</h2>
      <p>{sharingPurpose}</p>
      <h2 className="pt-2 text-lg font-semibold">Who else is involved</h2>
      <p>
        {TRUELAYER_FIRM.name} (firm reference number {TRUELAYER_FIRM.frn}) connects to your bank for us. Its
        own{" "}
        <a href={TRUELAYER_PRIVACY_URL} className="font-medium text-brand-700 underline">
          privacy policy
        </a>{" "}
        says what it does with your data.
      </p>
      <h2 className="pt-2 text-lg font-semibold">Your choices</h2>
      <p>
        You can stop sharing from any bank at any time on your connections page, ask for a copy of what we
        hold, or ask us to delete it, by writing to{" "}
        <a href={`mailto:${supportEmail}`} className="font-medium text-brand-700 underline break-words">
          {supportEmail}
        </a>
        .
      </p>
    </article>
  );
}

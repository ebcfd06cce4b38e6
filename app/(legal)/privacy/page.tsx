import type { Metadata } from "next";
import { MailLink } from "@/app/_components/links";
import { brand, TRUELAYER_FIRM } from "@/lib/brand";
import { TRUELAYER_PRIVACY_URL } from "@/lib/connections/reconfirm/copy";
import { BALANCES_KEPT } from "@/lib/connections/status-words";
import { Part } from "../part";
import { PlaceholderNote } from "../placeholder-note";

export const metadata: Metadata = { title: "Privacy notice" };

export default function PrivacyPage() {
  const { appName, sharingPurpose, supportEmail } = brand();
  return (
    <article className="space-y-4 text-base">
      <h1 className="text-2xl font-bold sm:text-3xl">{appName} privacy notice</h1>
      <PlaceholderNote file="app/(legal)/privacy/page.tsx (PRIVACY_URL)" />
      <Part title="What we keep">
        Your email address and name; for each bank you connect, the bank&apos;s name, your account names with
        the last four digits of each account number, the data you agreed to share, and the dates you agreed.
        Access to your bank is kept encrypted.
      </Part>
      <p>{BALANCES_KEPT}</p>
      <Part title="Why">{sharingPurpose}</Part>
      <Part title="Who else is involved">
        {TRUELAYER_FIRM.name} (firm reference number {TRUELAYER_FIRM.frn}) connects to your bank for us. Its
        own{" "}
        <a href={TRUELAYER_PRIVACY_URL} className="font-medium text-brand-700 underline">
          privacy policy
        </a>{" "}
        says what it does with your data.
      </Part>
      <Part title="Your choices">
        You can stop sharing from any bank at any time on your connections page, ask for a copy of what we
        hold, or ask us to delete it, by writing to <MailLink to={supportEmail} />.
      </Part>
    </article>
  );
}

import type { Metadata } from "next";
import { MailLink } from "@/app/_components/links";
import { brand, TRUELAYER_FIRM } from "@/lib/brand";
import { TRUELAYER_TERMS_URL } from "@/lib/connections/reconfirm/copy";
import { Part } from "../part";
import { PlaceholderNote } from "../placeholder-note";

export const metadata: Metadata = { title: "Terms" };

export default function TermsPage() {
  const { appName, supportEmail } = brand();
  return (
    <article className="space-y-4 text-base">
      <h1 className="text-2xl font-bold sm:text-3xl">{appName} terms</h1>
      <PlaceholderNote file="app/(legal)/terms/page.tsx (TERMS_URL)" />
      <Part title="The service">
        {appName} shows which banks share data with it, and lets you keep sharing or stop, one bank at a time
        or all at once. Every 90 days you confirm that sharing should go on.
      </Part>
      <Part title="Connecting to your bank">
        {TRUELAYER_FIRM.name}, authorised by the Financial Conduct Authority (firm reference number{" "}
        {TRUELAYER_FIRM.frn}), connects to your bank. Its{" "}
        <a href={TRUELAYER_TERMS_URL} className="font-medium text-brand-700 underline">
          end-user terms
        </a>{" "}
        apply to that connection.
      </Part>
      <Part title="Stopping">
        You can stop sharing at any time, here or at your bank, and ask us to close your account whenever you
        like.
      </Part>
      <Part title="Contact">
        Write to <MailLink to={supportEmail} />.
      </Part>
    </article>
  );
}

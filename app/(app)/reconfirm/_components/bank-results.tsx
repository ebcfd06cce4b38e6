import { BankLogo } from "@/app/(app)/_components/bank-logo";
import type { BankResult } from "@/lib/connections/reconfirm/results";
import { ContinueButton } from "./continue-button";
import { ReconnectButton } from "./reconnect-button";

const TONE: Record<BankResult["status"], string> = {
  extended: "ring-brand-600",
  at_bank: "ring-amber-400",
  in_progress: "ring-gray-300",
  reconnect: "ring-red-300",
  failed: "ring-red-300",
  stopped: "ring-gray-300",
};

/**
 * Each bank's result in words, with the one next step it needs (if any). The bank whose result is
 * already the page's heading shows its name instead, so the headline is not said twice.
 */
export function BankResults({
  results,
  reconfirmationId,
  inHeading,
}: {
  results: BankResult[];
  reconfirmationId: string;
  inHeading?: string;
}) {
  const next = results.find((r) => r.status === "at_bank");
  return (
    <ul className="space-y-3">
      {results.map((result) => (
        <li
          key={result.connectionId}
          className={`rounded-xl bg-white p-4 shadow-sm ring-1 ${TONE[result.status]}`}
        >
          <div className="flex items-start gap-3">
            <BankLogo name={result.bankName} src={result.logoUrl} />
            <div className="min-w-0 flex-1">
              <p className="text-base font-semibold">
                {result.connectionId === inHeading ? result.bankName : result.headline}
              </p>
              {result.detail ? <p className="mt-1 text-base text-muted">{result.detail}</p> : null}
              {result.status === "reconnect" ? (
                <ReconnectButton
                  connectionId={result.connectionId}
                  providerId={result.providerId}
                  bankName={result.bankName}
                />
              ) : null}
              {result === next ? (
                <ContinueButton
                  reconfirmationId={reconfirmationId}
                  connectionId={result.connectionId}
                  bankName={result.bankName}
                />
              ) : null}
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}

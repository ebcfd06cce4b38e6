import { AccountBalance } from "@/app/(app)/_components/account-balance";
import type { ReconfirmationResults } from "@/lib/connections/queries";
import type { BankResult } from "@/lib/connections/reconfirm/results";

/** The figures read right after the renewal: data flows again. Only banks renewed and read show here. */
export function RenewedBalances({
  record,
  results,
  at,
}: {
  record: ReconfirmationResults;
  results: BankResult[];
  at: Date;
}) {
  const renewed = new Set(results.filter((r) => r.status === "extended").map((r) => r.connectionId));
  const banks = record.items
    .map((i) => i.connection)
    .filter((c) => renewed.has(c.id) && c.accounts.some((a) => a.balance));
  if (banks.length === 0) return null;
  return (
    <section
      aria-labelledby="renewed-balances"
      className="mt-6 rounded-xl bg-white p-4 shadow-sm ring-1 ring-black/5"
    >
      <h2 id="renewed-balances" className="text-lg font-semibold">
        Your balances now
      </h2>
      {banks.map((bank) => (
        <div key={bank.id} className="mt-3">
          {results.length > 1 ? <h3 className="text-base font-semibold">{bank.providerName}</h3> : null}
          <ul className="mt-1 space-y-2">
            {bank.accounts.map((account) => (
              <li key={account.id}>
                <span>{account.displayName}</span>
                {account.maskedNumber ? (
                  <span className="text-muted">
                    {" "}
                    <span className="sr-only">ending </span>
                    {account.maskedNumber}
                  </span>
                ) : null}
                <AccountBalance balance={account.balance} state="live" at={at} />
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

import { BankLogo } from "@/app/(app)/_components/bank-logo";
import type { CopyBank } from "@/lib/connections/reconfirm/copy";

export type BankExtras = { logoUrl: string | null; accessLine: string; bankTrip?: string };

type Props = { bank: CopyBank; extras?: BankExtras; selectable?: boolean; defaultChecked?: boolean };

/** One bank as the user agrees to it: accounts, data in plain words, and where access stands today. */
export function BankChoice({ bank, extras, selectable = false, defaultChecked = false }: Props) {
  const inputId = `bank-${bank.connectionId}`;
  const body = (
    <>
      <span className="flex items-center gap-3">
        <BankLogo name={bank.bankName} src={extras?.logoUrl ?? null} />
        <span className="text-lg font-semibold">{bank.bankName}</span>
      </span>
      <span className="mt-3 block text-sm font-semibold">Accounts</span>
      <span className="block text-base">{bank.accounts.join(", ") || "All accounts you shared"}</span>
      <span className="mt-2 block text-sm font-semibold">Data shared</span>
      <span className="block text-base">{bank.data.join(" · ")}</span>
      {extras ? <span className="mt-2 block text-sm text-muted">{extras.accessLine}</span> : null}
      {extras?.bankTrip ? (
        <span className="mt-2 block rounded-lg bg-brand-50 p-2 text-sm text-ink">{extras.bankTrip}</span>
      ) : null}
    </>
  );
  const card = "block rounded-xl bg-white p-4 shadow-sm ring-1 ring-black/5";
  if (!selectable) return <div className={card}>{body}</div>;
  return (
    <label
      htmlFor={inputId}
      className={`${card} flex cursor-pointer gap-3 has-[:checked]:ring-2 has-[:checked]:ring-brand-600`}
    >
      <input
        id={inputId}
        type="checkbox"
        name="connectionId"
        value={bank.connectionId}
        defaultChecked={defaultChecked}
        className="mt-1 size-6 shrink-0 accent-brand-700"
      />
      <span className="min-w-0 flex-1">{body}</span>
    </label>
  );
}

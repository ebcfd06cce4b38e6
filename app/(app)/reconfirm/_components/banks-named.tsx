import { BankLogo } from "@/app/(app)/_components/bank-logo";

/** The banks a choice applies to, each with its logo. */
export function BanksNamed({
  connections,
}: {
  connections: { id: string; providerName: string; providerLogoUrl: string | null }[];
}) {
  return (
    <ul aria-label="Banks this applies to" className="space-y-3">
      {connections.map((connection) => (
        <li
          key={connection.id}
          className="flex items-center gap-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-black/5"
        >
          <BankLogo name={connection.providerName} src={connection.providerLogoUrl} />
          <span className="text-base font-semibold break-words">{connection.providerName}</span>
        </li>
      ))}
    </ul>
  );
}

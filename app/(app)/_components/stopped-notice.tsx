import { brand } from "@/lib/brand";
/** Confirms a finished "stop sharing", saying honestly whether TrueLayer could be told. */
export function StoppedNotice({
  connection,
}: {
  connection: { providerName: string; statusReason: string | null };
}) {
  const { appName } = brand();
  const unreachable = connection.statusReason === "truelayer_unreachable";
  const lost = connection.statusReason === "answer_lost";
  return (
    <div role="status" className="rounded-xl bg-brand-50 p-4 ring-1 ring-brand-600">
      <p className="text-base font-semibold">You've stopped sharing data from {connection.providerName}.</p>
      <p className="mt-1 text-base">
        {unreachable
          ? "We've stopped using the access. TrueLayer hasn't confirmed its end yet: we keep trying to end it there, then delete our copy. You can also withdraw access at your bank."
          : lost
            ? "We've deleted our copy of the access. An earlier answer from TrueLayer never reached us, so we couldn't end the access there: please withdraw it at your bank."
            : `We've deleted our copy of the access, and ${appName} will no longer see data from this bank.`}
      </p>
    </div>
  );
}

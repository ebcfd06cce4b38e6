import type { ConnectionWords } from "@/lib/connections/status-words";

const TONES = {
  ok: "bg-brand-100 text-brand-800",
  warn: "bg-amber-100 text-amber-900",
  alert: "bg-red-100 text-red-900",
  off: "bg-gray-200 text-gray-800",
} as const;

export function StateBadge({ words }: { words: Pick<ConnectionWords, "tone" | "label"> }) {
  return (
    <span className={`inline-flex rounded-full px-3 py-1 text-sm font-semibold ${TONES[words.tone]}`}>
      {words.label}
    </span>
  );
}

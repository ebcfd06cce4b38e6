import { formatDateTime } from "@/lib/format";
import { securityEventInWords } from "@/lib/security/event-words";
import type { latestSecurityEvents } from "@/lib/security/events";

type SecurityEventRow = Awaited<ReturnType<typeof latestSecurityEvents>>[number];

/** One security event: in words, by its code, and by account and keyed subject hash. */
export function EventRow({ event: e }: { event: SecurityEventRow }) {
  return (
    <tr className="border-t border-gray-200">
      <td className="p-2 whitespace-nowrap">{formatDateTime(e.createdAt)}</td>
      <td className="p-2">{securityEventInWords(e.kind, e.reason)}</td>
      <td className="p-2 font-mono">
        {e.kind}
        {e.reason ? ` ${e.reason}` : ""}
      </td>
      <td className="p-2 font-mono">{e.userId ?? "–"}</td>
      <td className="p-2 font-mono">{e.subjectHash?.slice(0, 12) ?? "–"}</td>
    </tr>
  );
}

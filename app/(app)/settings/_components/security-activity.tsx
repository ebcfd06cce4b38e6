import { SectionCard } from "@/app/_components/section-card";
import { formatDate, formatTime } from "@/lib/format";
import { securityEventInWords } from "@/lib/security/event-words";
import { securityEventsOf } from "@/lib/security/events";

/** The user's own security events, newest first (issue 27 item 8). */
export async function SecurityActivity({ userId }: { userId: string }) {
  const events = await securityEventsOf(userId, 20);
  return (
    <SectionCard id="security" title="Recent security activity">
      <p className="mt-1 text-sm text-muted">
        Sign-ins, sign-in links that did not work, downloads of your data and more, kept for a year. Something
        you don&apos;t recognise? Sign out of every device above.
      </p>
      {events.length === 0 ? (
        <p className="mt-3 text-base">Nothing yet.</p>
      ) : (
        <ul className="mt-3 space-y-1 text-base">
          {events.map((e) => (
            <li key={e.id}>
              <span className="text-muted">
                {formatDate(e.createdAt)} {formatTime(e.createdAt)}:
              </span>{" "}
              {securityEventInWords(e.kind, e.reason)}
            </li>
          ))}
        </ul>
      )}
    </SectionCard>
  );
}

import { formatDateTime } from "@/lib/format";

type QueueStats = { size: number; oldestAt: Date | null; lostGrants: number };

export function revokeQueueWords({ size, oldestAt, lostGrants }: QueueStats): string {
  const waiting = `${size} ${size === 1 ? "grant waits" : "grants wait"} to be revoked at TrueLayer`;
  const oldest = oldestAt ? `, the oldest since ${formatDateTime(oldestAt)}` : "";
  const lost = `${lostGrants} lost ${lostGrants === 1 ? "grant" : "grants"} (an answer from TrueLayer that never reached us).`;
  return `${waiting}${oldest}. ${lost}`;
}

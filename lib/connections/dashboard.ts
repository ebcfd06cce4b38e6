import { type ConnectionWords, connectionWords } from "./status-words";
import type { ConnectionRow } from "./store/connections";
import type { ConnectionMilestones } from "./store/history";

// What the dashboard shows (cards, their words, notices), decided here so the page only lays it out (decision 055).

export type Card = { connection: ConnectionRow; words: ConnectionWords; milestones?: ConnectionMilestones };

export function dashboardCards(
  connections: ConnectionRow[],
  milestones: Map<string, ConnectionMilestones>,
  stoppedParam: string | string[] | undefined,
  at: Date,
  appName: string,
): { live: Card[]; ended: Card[]; justStopped: ConnectionRow[] } {
  const cards = connections.map((connection) => {
    const m = milestones.get(connection.id);
    const words = connectionWords({ ...connection, stoppedAt: m?.stoppedAt }, at, appName);
    return { connection, words, ...(m ? { milestones: m } : {}) };
  });
  const stoppedIds = [stoppedParam ?? []].flat();
  return {
    live: cards.filter((c) => c.words.state !== "revoked"),
    ended: cards.filter((c) => c.words.state === "revoked"),
    justStopped: connections.filter((c) => stoppedIds.includes(c.id) && c.status === "REVOKED"),
  };
}

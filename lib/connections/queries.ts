import "server-only";

// The domain's door: what pages and other lib domains may read or ask of the store (nothing outside lib/connections
// imports a store module; test/architecture.ts holds that).

export { type AuditCursor, auditPage, wordingTemplates } from "./store/audit";
export { countRenewalResults } from "./store/connection-events";
export {
  type ConnectionRow,
  dueFor,
  getConnectionForUser,
  getConnectionsForUser,
  getUserConnections,
  lapsedPerProvider,
  lastTrueLayerSuccessAt,
  milestonesOfUserConnections,
  overdueReminders,
  providerNames,
  type ReminderCandidate,
  reminderCandidatesOfUsers,
  reminderCandidatesPage,
  type StoredAccount,
} from "./store/connections";
export { eraseUnlinkedRows } from "./store/erasure";
export { type CodeExchange, getCodeExchange, getCodeExchangeForUser } from "./store/exchanges";
export { connectionsForExport, consentRecordsOf, type ExportedConnection } from "./store/export";
export { type ConnectionMilestones, connectionHistory, connectionMilestones } from "./store/history";
export {
  getLatestBankCompletion,
  getReconfirmationForUser,
  type ReconfirmationResults,
} from "./store/reconfirmations";
export * as connectionRetention from "./store/retention";

import "server-only";

// What pages may read of the connections domain: verbs over the store (app/ imports no store module;
// docs/architecture.md says which lib domains still do).

export {
  type ConnectionRow,
  dueFor,
  getConnectionForUser,
  getConnectionsForUser,
  getUserConnections,
  type StoredAccount,
} from "./store/connections";
export { type CodeExchange, getCodeExchange, getCodeExchangeForUser } from "./store/exchanges";
export { type ConnectionMilestones, connectionHistory, connectionMilestones } from "./store/history";
export {
  getLatestBankCompletion,
  getReconfirmationForUser,
  type ReconfirmationResults,
} from "./store/reconfirmations";

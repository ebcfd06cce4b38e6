import "server-only";

// Grant custody (decision 043), the only Connection writer: hold, call TrueLayer with no transaction open, commit.

export { accessToken, refreshHeld, type TokenHolder } from "./access-token";
export { backfillConnectionFacts } from "./backfill";
export {
  type BalanceReadClaim,
  claimBalanceReads,
  pauseUnattendedReads,
  type ReadTarget,
  type ReadWhen,
} from "./balance-claims";
export { createConnection, createUnlessReplacing } from "./create";
export {
  exchangeAndHold,
  retireExchangeGrant,
  retireExchangeGrantStatement,
  sweepUnclaimedGrants,
} from "./exchange";
export { giveUp } from "./give-up";
export { commit, type Hold, hold, holdOrWait, ignoreLostLease, LostLeaseError, release } from "./hold";
export { KEEP_ALIVE_AFTER_DAYS, type KeepAliveSummary, keepTokensAlive } from "./keep-alive";
export {
  drainRevokeQueue,
  lockUserConnections,
  type QueueSummary,
  queueSnapshotGrantStatement,
  queueUserGrants,
  revokeQueueStats,
} from "./queue";
export { isLive } from "./revoke-grant";
export { type BankSnapshot, snapshotFrom } from "./snapshot";
export { type Claimed, claimStatement, type HeldRow, LEASE_MS, type Lease } from "./statements";
export type { NewTokens, Retired, StopReason, Transition } from "./transitions";

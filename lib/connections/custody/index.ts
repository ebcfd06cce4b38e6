import "server-only";

// Grant custody (docs/decisions/043-grant-custody.md): the only code that writes a Connection row or its tokens.
// Hold a connection, call TrueLayer with no transaction open, commit one typed transition.

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
export { commit, type Hold, hold, holdOrWait, keep, LostLeaseError, release } from "./hold";
export { KEEP_ALIVE_AFTER_DAYS, type KeepAliveSummary, keepTokensAlive } from "./keep-alive";
export {
  drainRevokeQueue,
  type QueueSummary,
  queueSnapshotGrantStatement,
  queueUserGrants,
  revokeQueueStats,
} from "./queue";
export { isLive } from "./revoke-grant";
export { type BankSnapshot, snapshotFrom } from "./snapshot";
export { type Claimed, claimStatement, type HeldRow, LEASE_MS, type Lease } from "./statements";
export type { NewTokens, Retired, StopReason, Transition } from "./transitions";

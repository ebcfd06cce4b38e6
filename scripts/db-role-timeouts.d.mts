export const ROLE_TIMEOUTS: { statement_timeout: string; idle_in_transaction_session_timeout: string };
export function roleTimeoutStatements(options: { databaseUrl: string; role?: string }): string[];

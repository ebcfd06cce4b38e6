export const LOCAL_POSTGRES: string;
export type DatabaseServer = { url: string; kind: "postgresql" | "embedded"; stop(): Promise<void> };
export function canConnect(url: string, timeoutMs?: number): Promise<boolean>;
export function freePort(): Promise<number>;
export function startEmbedded(options?: {
  dataDir?: string | null;
  port?: number;
}): Promise<{ url: string; stop(): Promise<void> }>;
export function resolveTestDatabase(): Promise<DatabaseServer>;
export function freshDatabase(
  adminUrl: string,
  kind: "postgresql" | "embedded",
  name: string,
): Promise<string>;
export function redactUrl(url: string): string;
export function dropDatabase(adminUrl: string, kind: "postgresql" | "embedded", name: string): Promise<void>;
export function dropStaleDatabases(
  adminUrl: string,
  kind: "postgresql" | "embedded",
  prefix: string,
): Promise<void>;

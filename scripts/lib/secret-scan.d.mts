export type Finding = { where: string; kind: string };
export const TOKEN_PATTERN: RegExp;
export const URL_SECRET_PATTERN: RegExp;
export type ScanOptions = { urls?: boolean; literals?: Record<string, string | undefined> };
export function scanText(text: string, where: string, options?: ScanOptions): Finding[];
export function scanTree(dir: string, options?: ScanOptions): { files: number; findings: Finding[] };
export function scanDatabase(
  databaseUrl: string,
  schema?: string,
): Promise<{ values: number; sealedConnections: number; findings: Finding[] }>;

export type Finding = { where: string; kind: string };
export const TOKEN_PATTERN: RegExp;
export function scanText(text: string, where: string): Finding[];
export function scanTree(dir: string): { files: number; findings: Finding[] };
export function scanDatabase(
  databaseUrl: string,
  schema?: string,
): Promise<{ values: number; sealedConnections: number; findings: Finding[] }>;

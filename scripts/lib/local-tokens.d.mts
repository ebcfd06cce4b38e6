export type LocalTokens = { SANDBOX_CONTROL_TOKEN: string; INBOX_API_TOKEN: string };
export const LOCAL_TOKENS_FILE: string;
export function freshLocalTokens(): LocalTokens;
export function writeLocalTokens(file: string, tokens: LocalTokens): void;
export function readLocalTokens(file: string): Partial<LocalTokens>;

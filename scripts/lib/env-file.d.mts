export function readEnvFile(file: string): Record<string, string>;
export function writeEnvFile(file: string, values: Record<string, string>, header?: string): void;
export function secret(bytes?: number): string;
export function key32(): string;
export function localSecrets(clientIdSuffix: string): Record<string, string>;

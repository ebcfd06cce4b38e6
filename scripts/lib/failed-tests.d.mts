export function vitestFailures(report: unknown, root?: string): string[];
export function playwrightFailures(report: unknown): string[];
export function failureLines(names: string[]): string[];
export function failureKind(message: unknown): string | undefined;

export const OPS_BUNDLE: string;
export function bundleOps(outfile?: string): Promise<string>;
export function bundleImports(file: string): string[];

export function stopAll(): Promise<void>;
export function waitForHttp(url: string, options?: { timeoutMs?: number; name?: string }): Promise<void>;
export function stopChildren(list: import("node:child_process").ChildProcess[]): Promise<unknown>;
export function childPids(): number[];

// A small closed-loop load driver for loopback HTTP: a fixed number of workers, each sending its next
// request when the previous one has been read to the end, until a request or time budget runs out.

export type Sample = { ms: number; status: number };
export type Stats = { count: number; p50: number; p99: number; mean: number; perSecond: number };

export async function drive(
  request: (i: number) => Promise<Sample>,
  { concurrency, maxRequests, maxMs }: { concurrency: number; maxRequests: number; maxMs: number },
): Promise<{ samples: Sample[]; wallMs: number }> {
  const samples: Sample[] = [];
  const started = performance.now();
  let issued = 0;
  const worker = async () => {
    while (issued < maxRequests && performance.now() - started < maxMs) {
      samples.push(await request(issued++));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, wallMs: performance.now() - started };
}

/** One timed GET or POST, body read to the end; redirects are not followed (they are the answer). */
export async function timed(url: string, init: RequestInit = {}): Promise<Sample> {
  const started = performance.now();
  const res = await fetch(url, { redirect: "manual", ...init });
  await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

export function stats(values: number[], wallMs?: number): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  const mean = sorted.length ? sum / sorted.length : Number.NaN;
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean,
    perSecond: wallMs ? (sorted.length / wallMs) * 1000 : 1000 / mean,
  };
}

export function expectStatus(samples: Sample[], ok: (status: number) => boolean, what: string): void {
  const bad = samples.filter((s) => !ok(s.status));
  if (bad.length > 0)
    throw new Error(`${what}: ${bad.length} of ${samples.length} answered ${bad[0]?.status}`);
}

/** The middle value (the lower middle of an even count); NaN for none. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

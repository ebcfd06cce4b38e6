import type { Browser } from "@playwright/test";
import { startTestSandbox } from "@/kit";
import type { ProfileOptions } from "@/sandbox/profiles";
import { type JourneyTarget, runJourneys } from "./journey";
import { startListener } from "./listener";
import { compareTranscripts, type Entry, formatEntry } from "./transcript";

export type TargetSpec = Omit<JourneyTarget, "browser" | "transport"> & {
  title: string;
  close(): Promise<void>;
};

/** The reference: an in-process simulator under the truelayer-sandbox profile, on a free port. */
export async function simulatorTarget(
  options?: ProfileOptions,
  client: { consentScreenReviewed?: boolean } = {},
): Promise<TargetSpec> {
  const listener = await startListener("http://127.0.0.1:0/callback");
  const sandbox = await startTestSandbox({
    name: "smoke",
    redirectUri: listener.redirectUri,
    profile: "truelayer-sandbox",
    options,
    consentScreenReviewed: client.consentScreenReviewed,
  });
  return {
    title: "the simulator (profile truelayer-sandbox)",
    client: {
      target: "simulator",
      authUrl: sandbox.url,
      apiUrl: sandbox.url,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
    },
    listener,
    dialogTimeoutMs: 60_000,
    close: async () => {
      await listener.close();
      await sandbox.close();
    },
  };
}

export type SandboxSettings = {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  authUrl?: string;
  apiUrl?: string;
};

export async function sandboxTarget(settings: SandboxSettings): Promise<TargetSpec> {
  const listener = await startListener(settings.redirectUri);
  return {
    title: "TrueLayer's sandbox",
    client: {
      target: "sandbox",
      authUrl: settings.authUrl,
      apiUrl: settings.apiUrl,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      timeoutMs: 30_000,
    },
    listener,
    dialogTimeoutMs: 120_000,
    close: () => listener.close(),
  };
}

export type SmokeResult = { exitCode: 0 | 1; verdict: "passed" | "failed" };

function printTranscript(print: (line: string) => void, entries: Entry[]) {
  for (const entry of entries) print(formatEntry(entry));
}

/**
 * Runs the journeys against the reference (the simulator) and, when given, the real sandbox, prints the
 * transcript of the last run, and fails on any difference in shape between the two, naming the first.
 */
export async function runSmoke(options: {
  reference: TargetSpec;
  real?: TargetSpec;
  browser: Browser;
  print: (line: string) => void;
  transport?: typeof fetch;
}): Promise<SmokeResult> {
  const { print, browser, transport } = options;
  const reference = await runJourneys({ ...options.reference, browser, transport });
  if (!options.real) {
    print(`TrueLayer smoke against ${options.reference.title}`);
    printTranscript(print, reference.entries);
    if (reference.failure) {
      print(`failed: ${reference.failure}`);
      return { exitCode: 1, verdict: "failed" };
    }
    print("passed: both journeys ran end to end");
    return { exitCode: 0, verdict: "passed" };
  }

  const real = await runJourneys({ ...options.real, browser, transport });
  print(`TrueLayer smoke against ${options.real.title}, compared with ${options.reference.title}`);
  printTranscript(print, real.entries);
  if (reference.failure) {
    // The reference itself broke: nothing to compare with, and it is our bug, not TrueLayer's.
    print(`failed: the simulator's own run failed first: ${reference.failure}`);
    return { exitCode: 1, verdict: "failed" };
  }
  const differences = compareTranscripts(real.entries, reference.entries);
  if (differences.length === 0 && !real.failure) {
    print("passed: same shapes as the simulator (parameter names, status codes, field names, actions)");
    return { exitCode: 0, verdict: "passed" };
  }
  if (differences.length > 0) {
    print(`${differences.length} difference(s) from the simulator:`);
    for (const difference of differences) print(`  - ${difference.message}`);
  }
  const first = differences[0]?.message ?? real.failure;
  print(`failed: first difference from the simulator: ${first}`);
  return { exitCode: 1, verdict: "failed" };
}

import { randomUUID } from "node:crypto";
import type { ProfileName, ProfileOptions } from "../profiles";
import { startSandbox } from "../server";
import { type SandboxControls, sandboxControls } from "./controls";

export type TestSandbox = {
  url: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  controls: SandboxControls;
  close(): Promise<void>;
};

/**
 * The one in-process simulator starter for tests and scripts: memory only, loopback, a random port,
 * and a client of its own (fresh id and secret) allowed to redirect to `redirectUri`.
 */
export async function startTestSandbox(
  options: {
    redirectUri?: string;
    consentScreenReviewed?: boolean;
    extendEnabled?: boolean;
    profile?: ProfileName;
    options?: ProfileOptions;
    name?: string;
  } = {},
): Promise<TestSandbox> {
  const clientId = `sandbox-${options.name ?? "test"}-${randomUUID()}`;
  const clientSecret = `secret-${randomUUID()}`;
  const redirectUri = options.redirectUri ?? "http://127.0.0.1:3999/callback";
  const sandbox = await startSandbox({
    port: 0,
    host: "127.0.0.1",
    dataFile: null,
    mode: "test",
    clients: [
      {
        clientId,
        clientSecret,
        redirectUris: [redirectUri],
        consentScreenReviewed: options.consentScreenReviewed ?? true,
        extendEnabled: options.extendEnabled ?? true,
        profile: options.profile,
        options: options.options,
      },
    ],
  });
  return {
    url: sandbox.url,
    clientId,
    clientSecret,
    redirectUri,
    controls: sandboxControls(sandbox.url, clientId),
    close: () => sandbox.close(),
  };
}

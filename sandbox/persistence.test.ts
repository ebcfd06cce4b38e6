import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSandbox } from "./server";
import {
  authLink,
  connect,
  getControl,
  getWithToken,
  newClient,
  openLink,
  postJson,
  refresh,
} from "./test-support";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "sandbox-"));
  dirs.push(dir);
  return join(dir, "nested", "sandbox.json");
}

describe("persistence", () => {
  it("keeps clients, connections, tokens, clocks and used links across a restart", async () => {
    const dataFile = tempFile();
    const first = await startSandbox({ dataFile });
    const client = await newClient(first.url);
    const tokens = await connect(first.url, client);
    await postJson(first.url, "/_sandbox/clock", { clientId: client.clientId, advanceMs: 60_000 });
    const link = authLink(first.url, client);
    await openLink(link);
    await first.close();

    const stored = readFileSync(dataFile, "utf8");
    expect(stored).not.toContain(tokens.access_token);
    expect(stored).not.toContain(tokens.refresh_token);

    // A new port: undici may still hold a pooled socket to the old one.
    const second = await startSandbox({ dataFile });
    try {
      expect((await getWithToken(second.url, "/data/v1/me", tokens.access_token)).status).toBe(200);
      expect((await refresh(second.url, client, tokens.refresh_token ?? "")).status).toBe(200);
      expect((await fetch(link.replace(first.url, second.url), { redirect: "manual" })).status).toBe(400);
      const clock = (await (
        await getControl(second.url, `/_sandbox/clock?clientId=${client.clientId}`)
      ).json()) as {
        offsetMs: number;
      };
      expect(clock.offsetMs).toBe(60_000);
    } finally {
      await second.close();
    }
  });

  it("refuses to start on a corrupt data file", async () => {
    const dataFile = tempFile();
    const first = await startSandbox({ dataFile });
    await first.close();
    writeFileSync(dataFile, JSON.stringify({ version: 99 }));
    await expect(startSandbox({ dataFile })).rejects.toThrow(/not valid/);
  });
});

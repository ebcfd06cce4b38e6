import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";
import { e2eEnv } from "./fixtures";

const root = path.resolve(import.meta.dirname, "..");

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const address = probe.address();
  probe.close();
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * Another `next start` of the suite's build beside its own, with the stack's variables and `overrides` (a brand,
 * a database that does not answer). Resolves once `readyPath` answers as `ready` wants, with its origin and a stop.
 */
export async function startSecondServer(
  overrides: Record<string, string>,
  { readyPath, ready }: { readyPath: string; ready: (status: number) => boolean },
): Promise<{ origin: string; stop: () => void }> {
  const origin = `http://127.0.0.1:${await freePort()}`;
  const server = spawn(
    process.execPath,
    [
      path.join(root, "node_modules/next/dist/bin/next"),
      "start",
      "--port",
      new URL(origin).port,
      "--hostname",
      "127.0.0.1",
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        ...e2eEnv(),
        NODE_OPTIONS: "",
        NEXT_TELEMETRY_DISABLED: "1",
        APP_URL: origin,
        ...overrides,
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let errors = "";
  server.stderr?.on("data", (chunk) => {
    errors = (errors + chunk).slice(-2000);
  });
  const stop = () => server.kill("SIGTERM");
  for (let i = 0; i < 300; i++) {
    const status = await fetch(`${origin}${readyPath}`).then(
      (r) => r.status,
      () => 0,
    );
    if (status > 0 && ready(status)) return { origin, stop };
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  stop();
  throw new Error(`The second server did not start:\n${errors}`);
}

import net from "node:net";
import fc from "fast-check";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../sandbox/server";
import { type Inbox, startInbox } from "./server";

// DNS rebinding and friends against the two local tooling servers (issue 27 item 2): a page on another
// name that points its name at 127.0.0.1 reaches them with its own Host. Only the loopback names on
// each server's own port are answered, and the inbox's API and the simulator's controls also need the
// run's token, which no page can know.

type Raw = { status: number; body: string };

/** One request written byte for byte: `host` null sends no Host line, an array sends several. */
function raw(
  port: number,
  { target = "/", method = "GET", host, headers = [], version = "1.1" }: RawOptions,
): Promise<Raw> {
  const hostLines = host === null ? [] : [host].flat().map((h) => `Host: ${h}`);
  const lines = [`${method} ${target} HTTP/${version}`, ...hostLines, "Connection: close", ...headers];
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${method} ${target}`)));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      resolve({ status: Number(text.split(" ")[1]), body: text.split("\r\n\r\n").slice(1).join("") });
    });
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}
type RawOptions = {
  target?: string;
  method?: string;
  host: string | string[] | null;
  headers?: string[];
  version?: string;
};

/** Host values that must not be answered by a server on `port`: other names, other ports, other spellings. */
function hostileHosts(port: number): string[] {
  const names = ["127.0.0.1", "localhost", "[::1]"];
  return [
    // other names, with and without the right port
    `evil.example:${port}`,
    "evil.example",
    `EVIL.EXAMPLE:${port}`,
    `localhost.evil.example:${port}`,
    `127.0.0.1.nip.io:${port}`,
    `evil.example:${port}@localhost:${port}`,
    `0.0.0.0:${port}`,
    `127.0.0.2:${port}`,
    `127.1:${port}`,
    `2130706433:${port}`,
    `0x7f000001:${port}`,
    // the right name on the wrong port, or none
    ...names.flatMap((n) => [n, `${n}:${port + 1}`, `${n}:80`, `${n}:0${port}`, `${n}:${port}0`, `${n}:`]),
    // a trailing dot is another DNS name (resolvers may send it upstream)
    `localhost.:${port}`,
    `127.0.0.1.:${port}`,
    // other IPv6 spellings of loopback, and unbracketed forms
    `[0:0:0:0:0:0:0:1]:${port}`,
    `[::ffff:127.0.0.1]:${port}`,
    `[::1%25lo]:${port}`,
    `::1:${port}`,
    `::1`,
    "",
  ];
}

/** Spellings a person's browser or a script really sends for this server: all answered. */
const friendlyHosts = (port: number) => [
  `127.0.0.1:${port}`,
  `localhost:${port}`,
  `[::1]:${port}`,
  `LOCALHOST:${port}`,
  `LocalHost:${port}`,
];

let inbox: Inbox;
let sandbox: Sandbox;
let messageId = "";

beforeAll(async () => {
  inbox = await startInbox({ smtpPort: 0, httpPort: 0 });
  sandbox = await startSandbox({ port: 0, dataFile: null, mode: "test" });
  const transport = nodemailer.createTransport(`smtp://127.0.0.1:${inbox.smtpPort}`);
  await transport.sendMail({
    from: "app@example.test",
    to: "victim@example.test",
    subject: "Your sign-in link",
    text: "https://app.example/signin/confirm?token=live-sign-in-token",
  });
  const listed = await fetch(`${inbox.url}/api/messages`, { headers: { "x-inbox-token": inbox.apiToken } });
  messageId = ((await listed.json()) as { id: string }[])[0]?.id ?? "";
});
afterAll(async () => {
  await inbox.close();
  await sandbox.close();
});

const inboxToken = () => `X-Inbox-Token: ${inbox.apiToken}`;
const sandboxToken = () => `X-Sandbox-Token: ${sandbox.controlToken}`;

/** Every page and API of each server, with the token where one is needed: only the Host may decide. */
const inboxTargets = () => ["/", `/messages/${messageId}`, "/api/messages", `/api/messages/${messageId}`];
const sandboxTargets = [
  "/_sandbox/health",
  "/_sandbox/calls",
  "/_sandbox/clock?clientId=x",
  "/_sandbox/logos/uk-cs-mock.svg",
  "/_sandbox/echo?code=abc",
  "/?response_type=code&client_id=nobody",
  "/data/v1/me",
];

function expectRefused(res: Raw, what: string) {
  expect([400, 421], what).toContain(res.status);
  expect(res.body, what).not.toContain("live-sign-in-token");
  expect(res.body, what).not.toContain("Your sign-in link");
  expect(res.body, what).not.toContain('"calls"');
}

describe("the local servers answer only their own loopback names on their own port", () => {
  it("the inbox refuses every other Host on every page and API, and answers the right ones", async () => {
    const port = inbox.httpPort;
    for (const target of inboxTargets()) {
      for (const host of hostileHosts(port))
        expectRefused(await raw(port, { target, host, headers: [inboxToken()] }), `${target} Host: ${host}`);
      for (const host of friendlyHosts(port))
        expect((await raw(port, { target, host, headers: [inboxToken()] })).status, `${target} ${host}`).toBe(
          200,
        );
    }
  });

  it("the simulator refuses every other Host on the protocol, the dialog and the controls", async () => {
    const port = sandbox.port;
    for (const target of sandboxTargets) {
      for (const host of hostileHosts(port))
        expectRefused(
          await raw(port, { target, host, headers: [sandboxToken()] }),
          `${target} Host: ${host}`,
        );
      for (const host of friendlyHosts(port)) {
        const res = await raw(port, { target, host, headers: [sandboxToken()] });
        expect([200, 303, 400, 401], `${target} ${host}`).toContain(res.status);
      }
    }
  });

  it("refuses generated names and case-mangled loopback names on a wrong port", async () => {
    const wrongPort = fc
      .integer({ min: 1, max: 65535 })
      .filter((p) => p !== inbox.httpPort && p !== sandbox.port);
    const mangled = fc
      .tuple(
        fc.constantFrom("localhost", "127.0.0.1", "[::1]"),
        fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
      )
      .map(([name, upper]) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(""));
    await fc.assert(
      fc.asyncProperty(fc.domain(), mangled, wrongPort, async (domain, name, port) => {
        for (const [server, token, target] of [
          [inbox.httpPort, inboxToken(), "/api/messages"],
          [sandbox.port, sandboxToken(), "/_sandbox/calls"],
        ] as const) {
          expectRefused(await raw(server, { target, host: `${domain}:${server}`, headers: [token] }), domain);
          expectRefused(
            await raw(server, { target, host: `${name}:${port}`, headers: [token] }),
            `${name}:${port}`,
          );
        }
      }),
      { numRuns: 40 },
    );
  });

  it("refuses a missing Host, two Hosts and absolute-form targets, whatever they name", async () => {
    for (const [port, token, path] of [
      [inbox.httpPort, inboxToken(), "/api/messages"],
      [sandbox.port, sandboxToken(), "/_sandbox/calls"],
    ] as const) {
      const good = `127.0.0.1:${port}`;
      expectRefused(await raw(port, { target: path, host: null, headers: [token] }), "no Host (HTTP/1.1)");
      expectRefused(
        await raw(port, { target: path, host: null, headers: [token], version: "1.0" }),
        "no Host (1.0)",
      );
      expectRefused(
        await raw(port, { target: path, host: [good, "evil.example"], headers: [token] }),
        "two Hosts",
      );
      expectRefused(
        await raw(port, { target: path, host: ["evil.example", good], headers: [token] }),
        "two Hosts",
      );
      for (const authority of ["evil.example", `evil.example:${port}`, good, `localhost:${port}`])
        expectRefused(
          await raw(port, { target: `http://${authority}${path}`, host: good, headers: [token] }),
          `absolute-form ${authority}`,
        );
      expectRefused(await raw(port, { target: "*", method: "OPTIONS", host: good }), "asterisk-form");
    }
  });

  it("never takes X-Forwarded-Host (or its kin) for the Host", async () => {
    for (const [port, token, path] of [
      [inbox.httpPort, inboxToken(), "/api/messages"],
      [sandbox.port, sandboxToken(), "/_sandbox/calls"],
    ] as const) {
      const good = `127.0.0.1:${port}`;
      for (const header of ["X-Forwarded-Host", "Forwarded", "X-Host", "X-Original-Host"]) {
        const value = header === "Forwarded" ? `host=${good}` : good;
        expectRefused(
          await raw(port, {
            target: path,
            host: `evil.example:${port}`,
            headers: [token, `${header}: ${value}`],
          }),
          header,
        );
      }
      const spoofed = await raw(port, {
        target: path,
        host: good,
        headers: [token, `X-Forwarded-Host: evil.example:${port}`],
      });
      expect(spoofed.status).toBe(200);
      expect(spoofed.body).not.toContain("evil.example");
    }
  });
});

describe("the inbox's API and the simulator's controls need the run's token", () => {
  const wrongTokens = (right: string) => [
    "",
    "x",
    right.slice(0, -1),
    `${right}x`,
    right.toUpperCase() === right ? right.toLowerCase() : right.toUpperCase(),
    ` ${right}x`,
    "null",
    "undefined",
  ];

  it("the inbox's JSON refuses a missing, wrong or misplaced token; its pages need none", async () => {
    const base = inbox.url;
    const right = inbox.apiToken;
    for (const [method, path] of [
      ["GET", "/api/messages"],
      ["GET", "/api/messages?to=victim@example.test"],
      ["GET", `/api/messages/${messageId}`],
      ["DELETE", "/api/messages"],
    ] as const) {
      const attempts: RequestInit[] = [
        {},
        ...wrongTokens(right).map((t) => ({ headers: { "x-inbox-token": t } })),
        { headers: { authorization: `Bearer ${right}` } },
        { headers: { "x-sandbox-token": right } },
        { headers: { cookie: `x-inbox-token=${right}` } },
      ];
      for (const init of attempts) {
        const res = await fetch(`${base}${path}`, { method, ...init });
        expect(res.status, `${method} ${path} ${JSON.stringify(init)}`).toBe(403);
        expect(await res.text()).not.toContain("live-sign-in-token");
      }
      const inQuery = await fetch(`${base}${path}${path.includes("?") ? "&" : "?"}token=${right}`, {
        method,
      });
      expect(inQuery.status).toBe(403);
    }
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect((await fetch(`${base}/messages/${messageId}`)).status).toBe(200);
    const listed = await fetch(`${base}/api/messages`, { headers: { "x-inbox-token": right } });
    expect(listed.status).toBe(200);
    expect(await listed.text()).toContain("live-sign-in-token");
  });

  it("every simulator control refuses a missing or wrong token; the protocol, dialog, logos and echo need none", async () => {
    const base = sandbox.url;
    const right = sandbox.controlToken;
    const controls = [
      ["POST", "/_sandbox/clients"],
      ["POST", "/_sandbox/clock"],
      ["GET", "/_sandbox/clock?clientId=x"],
      ["POST", "/_sandbox/faults"],
      ["POST", "/_sandbox/faults/clear"],
      ["GET", "/_sandbox/calls"],
      ["GET", "/_sandbox/connections?clientId=x"],
      ["POST", "/_sandbox/connections/age"],
      ["GET", "/_sandbox/profile?clientId=x"],
      ["POST", "/_sandbox/profile"],
      ["POST", "/_sandbox/me-lag/clear"],
      ["POST", "/_sandbox/reset"],
    ] as const;
    for (const [method, path] of controls) {
      const body = method === "POST" ? "{}" : undefined;
      const json = { "content-type": "application/json" };
      const attempts: Record<string, string>[] = [
        json,
        ...wrongTokens(right).map((t) => ({ ...json, "x-sandbox-token": t })),
        { ...json, authorization: `Bearer ${right}` },
        { ...json, "x-inbox-token": right },
      ];
      for (const headers of attempts) {
        const res = await fetch(`${base}${path}`, { method, headers, body });
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
      }
      const withToken = await fetch(`${base}${path}`, {
        method,
        headers: { "content-type": "application/json", "x-sandbox-token": right },
        body,
      });
      expect(withToken.status, `${method} ${path} with the token`).not.toBe(403);
    }
    expect((await fetch(`${base}/_sandbox/health`)).status).toBe(200);
    expect((await fetch(`${base}/_sandbox/logos/uk-cs-mock.svg`)).status).toBe(200);
    expect((await fetch(`${base}/_sandbox/echo?code=abc`)).status).toBe(200);
    expect((await fetch(`${base}/data/v1/me`)).status).toBe(401);
    // A browser's CORS preflight for a header-carrying call is never approved.
    const preflight = await fetch(`${base}/_sandbox/calls`, {
      method: "OPTIONS",
      headers: { origin: "http://evil.example", "access-control-request-headers": "x-sandbox-token" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });
});

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTrueLayerClient } from "./client";
import { TrueLayerError } from "./errors";

// Answers the simulator never gives, from a tiny local HTTP server: the client still uses real fetch and sockets.
type Reply = { status: number; body?: string; headers?: Record<string, string> };
let reply: Reply = { status: 200 };
let hits = 0;
const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
  hits++;
  res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
  res.end(reply.body ?? "");
});
let url = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  hits = 0;
});

const sleeps: number[] = [];
const client = () =>
  createTrueLayerClient({
    target: "simulator",
    authUrl: url,
    apiUrl: url,
    clientId: "odd-client",
    clientSecret: "odd-secret-value",
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
const json = (status: number, value: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body: JSON.stringify(value),
  headers,
});
const extend = () =>
  client().extendConnection({
    refreshToken: "rt-secret-value",
    redirectUri: "https://app/cb",
    user: { name: "A" },
  });

describe("extend answers we do not understand", () => {
  it("an unknown action_needed is unexpected_response with outcomeUnknown", async () => {
    reply = json(200, { action_needed: "dance_needed" });
    const error = await extend().catch((e) => e);
    expect(error).toBeInstanceOf(TrueLayerError);
    expect(error).toMatchObject({
      code: "unexpected_response",
      outcomeUnknown: true,
      detail: "action_needed=dance_needed",
    });
  });

  it("a known action missing its fields is malformed, not retried", async () => {
    reply = json(200, { action_needed: "authentication_needed" });
    const error = await extend().catch((e) => e);
    expect(error).toMatchObject({ code: "malformed_response", outcomeUnknown: true, retryable: false });
    expect(hits).toBe(1);
  });

  it("spots the unreviewed-screen 400 from its wording alone", async () => {
    reply = json(400, {
      error: "invalid_request",
      error_description: "Your reconfirmation of consent screen has not been approved yet.",
    });
    await expect(extend()).rejects.toMatchObject({
      consentScreenNotReviewed: true,
      reconnectRequired: false,
    });
  });

  // Always sent as true, so an error on it alone is TrueLayer's unreviewed screen (issue 16), not the user's details.
  it("reads a validation error on user_has_reconfirmed_consent alone as the unreviewed screen", async () => {
    reply = json(400, {
      error: "validation_error",
      error_description: "The request has missing or invalid fields.",
      errors: { user_has_reconfirmed_consent: ["cannot be accepted yet"] },
    });
    await expect(extend()).rejects.toMatchObject({
      consentScreenNotReviewed: true,
      reconnectRequired: false,
    });
  });

  it("keeps other field errors as field errors, even beside that field", async () => {
    reply = json(400, {
      error: "validation_error",
      error_description: "Reconfirm the consent screen rules: user_has_reconfirmed_consent must be true",
      errors: { user_has_reconfirmed_consent: ["must be true"], "user.email": ["is invalid"] },
    });
    await expect(extend()).rejects.toMatchObject({
      consentScreenNotReviewed: false,
      fieldErrors: { "user.email": ["is invalid"] },
    });
  });

  it.each([400, 401])(
    "invalid_client (%i) is the client refused, never a reason to reconnect",
    async (status) => {
      reply = json(status, { error: "invalid_client", error_description: "Invalid client credentials." });
      await expect(extend()).rejects.toMatchObject({ clientRejected: true, reconnectRequired: false });
    },
  );

  it("401 needs a reconnect; 403 access_denied too", async () => {
    reply = json(401, { error: "unauthorized" });
    await expect(extend()).rejects.toMatchObject({ reconnectRequired: true });
    reply = json(403, { error: "access_denied" });
    await expect(extend()).rejects.toMatchObject({ reconnectRequired: true });
  });

  it("redacts secrets an upstream echoes into its description", async () => {
    reply = json(400, {
      error: "invalid_grant",
      error_description: "token rt-secret-value / odd-secret-value bad",
    });
    const error = await extend().catch((e) => e);
    expect(error.detail).toBe("token [redacted] / [redacted] bad");
    expect(JSON.stringify(error)).not.toContain("secret-value");
  });

  it("an upstream code that is not an identifier is not trusted", async () => {
    reply = json(400, { error: "<script>rt-secret-value</script>" });
    await expect(extend()).rejects.toMatchObject({ code: "http_400" });
  });
});

describe("token and read shapes", () => {
  it("a 200 token answer without access_token is malformed with outcomeUnknown", async () => {
    reply = json(200, { token_type: "Bearer" });
    const error = await client()
      .exchangeCode({ code: "code-secret-value", redirectUri: "https://app/cb" })
      .catch((e) => e);
    expect(error).toMatchObject({
      code: "malformed_response",
      outcomeUnknown: true,
      detail: "access_token: invalid_type",
    });
  });

  it("a read of the wrong shape fails once, without retries", async () => {
    reply = json(200, { results: [{ currency: "GBP" }] });
    const error = await client()
      .getBalance("at", "acc")
      .catch((e) => e);
    expect(error).toMatchObject({ code: "malformed_response", retryable: false, outcomeUnknown: false });
    expect(hits).toBe(1);
  });

  it("Retry-After as an HTTP date is honoured", async () => {
    sleeps.length = 0;
    const at = new Date(Date.now() + 4_000).toUTCString();
    reply = json(429, {}, { "retry-after": at });
    await client()
      .getMe("at", { psuIp: "203.0.113.9" })
      .catch(() => undefined);
    expect(sleeps).toHaveLength(2);
    for (const ms of sleeps) expect(ms).toBeGreaterThanOrEqual(3_000);
  });

  it("a redirect is not followed", async () => {
    reply = { status: 302, headers: { location: "https://elsewhere.example/" } };
    await expect(client().getAccounts("at")).rejects.toMatchObject({ code: "http_302", retryable: false });
  });

  it("delete: 204 is revoked, other statuses are errors", async () => {
    reply = { status: 204 };
    await expect(client().deleteConnection("at")).resolves.toBe("revoked");
    reply = json(403, { error: "forbidden" });
    await expect(client().deleteConnection("at")).rejects.toMatchObject({ code: "forbidden", status: 403 });
  });
});

describe("nothing listening", () => {
  it("a refused connection never reached TrueLayer, so the outcome is known", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dead = createTrueLayerClient({
      target: "simulator",
      authUrl: deadUrl,
      apiUrl: deadUrl,
      clientId: "c",
      clientSecret: "s",
    });
    const error = await dead
      .extendConnection({
        refreshToken: "rt",
        redirectUri: "https://app/cb",
        user: { name: "A", email: "a@b.co" },
      })
      .catch((e) => e);
    expect(error).toMatchObject({
      code: "network",
      retryable: true,
      outcomeUnknown: false,
      detail: "ECONNREFUSED",
    });
  });
});

import { describe, expect, it } from "vitest";
import { createTrueLayerClient } from "./client";
import { TrueLayerError } from "./errors";
import { redact, redactText } from "./redact";
import { userMessageFor } from "./user-message";

const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";

describe("redact", () => {
  it("hides secret-named keys, JWTs, bearer values, query secrets and known secrets", () => {
    const out = redact(
      {
        access_token: "sbx_at_1",
        nested: { refreshToken: "sbx_rt_1", code: "c0de", fine: "ok" },
        header: "Bearer abc.def",
        url: "https://app/cb?code=sbx_code_9&state=s1",
        body: `{"client_secret":"shh","x":1}`,
        log: `token ${jwt} and my-client-secret`,
      },
      ["my-client-secret"],
    );
    expect(out).toEqual({
      access_token: "[redacted]",
      nested: { refreshToken: "[redacted]", code: "[redacted]", fine: "ok" },
      header: "Bearer [redacted]",
      url: "https://app/cb?code=[redacted]&state=s1",
      body: `{"client_secret":"[redacted]","x":1}`,
      log: "token [redacted] and [redacted]",
    });
  });

  it("keeps a TrueLayerError's error code and drops its cause", () => {
    const error = new TrueLayerError({
      operation: "refreshToken",
      code: "invalid_grant",
      status: 400,
      reconnectRequired: true,
      detail: "token sbx_rt_secretvalue is dead",
      cause: new Error("socket"),
    });
    const out = redact(error, ["sbx_rt_secretvalue"]);
    expect(out).toMatchObject({ code: "invalid_grant", status: 400, detail: "token [redacted] is dead" });
    expect(JSON.stringify(out)).not.toContain("socket");
  });

  it("survives cycles and leaves plain text alone", () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    expect(redact(loop)).toEqual({ a: 1, self: "[circular]" });
    expect(redactText("nothing secret here")).toBe("nothing secret here");
  });
});

describe("userMessageFor", () => {
  const make = (init: Partial<ConstructorParameters<typeof TrueLayerError>[0]>) =>
    new TrueLayerError({ operation: "getMe", code: "x", ...init });

  it.each([
    [make({ consentScreenNotReviewed: true }), /isn't available yet/],
    [make({ fieldErrors: { email: ["bad"] } }), /email or phone/],
    [make({ reconnectRequired: true }), /reconnect your bank/],
    [make({ code: "account_permanently_locked" }), /contact your bank/],
    [make({ outcomeUnknown: true, retryable: true }), /couldn't confirm/],
    [make({ code: "rate_limited", retryable: true }), /busy/],
    [make({ code: "timeout", retryable: true }), /couldn't reach your bank/],
    [make({ code: "unauthorized" }), /session/],
    [make({}), /Something went wrong while talking to your bank/],
    [new Error("boom"), /^Something went wrong\. Please try again\.$/],
  ])("%#: %s", (error, expected) => {
    expect(userMessageFor(error)).toMatch(expected);
  });
});

describe("TrueLayerError", () => {
  it("composes its own message and never an unsafe upstream code", () => {
    const error = new TrueLayerError({
      operation: "extendConnection",
      code: "timeout",
      outcomeUnknown: true,
    });
    expect(error.message).toBe(
      "TrueLayer extendConnection failed: timeout - TrueLayer may have processed the request",
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("TrueLayerError");
  });
});

describe("createTrueLayerClient config", () => {
  const base = { clientId: "sandbox-app", clientSecret: "s" };

  it("uses TrueLayer's hosts for sandbox and production", () => {
    const sandbox = createTrueLayerClient({ ...base, target: "sandbox" });
    expect(sandbox.buildAuthLink({ redirectUri: "https://a/cb", scopes: ["info"], state: "s" })).toMatch(
      /^https:\/\/auth\.truelayer-sandbox\.com\/\?/,
    );
    const production = createTrueLayerClient({ clientId: "app", clientSecret: "s", target: "production" });
    expect(production.buildAuthLink({ redirectUri: "https://a/cb", scopes: ["info"], state: "s" })).toMatch(
      /^https:\/\/auth\.truelayer\.com\/\?/,
    );
  });

  it("refuses a simulator without URLs, crossed environments and bad numbers", () => {
    expect(() => createTrueLayerClient({ ...base, target: "simulator" })).toThrow(/authUrl and apiUrl/);
    expect(() => createTrueLayerClient({ clientId: "app", clientSecret: "s", target: "sandbox" })).toThrow(
      /sandbox-/,
    );
    expect(() => createTrueLayerClient({ ...base, target: "production" })).toThrow(/sandbox client id/);
    expect(() => createTrueLayerClient({ ...base, target: "sandbox", timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createTrueLayerClient({ ...base, clientSecret: "", target: "sandbox" })).toThrow(
      /clientSecret/,
    );
  });
});

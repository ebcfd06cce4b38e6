import { describe, expect, it } from "vitest";
import { compareTranscripts, type Entry, fieldPaths, Recorder } from "./transcript";

const entry = (step: string, facts: Record<string, string>): Entry => ({ journey: "john/doe", step, facts });

describe("fieldPaths", () => {
  it("lists nested names, arrays as [] over all items, never values", () => {
    const paths = fieldPaths({ results: [{ a: 1, n: { iban: "GB00" } }, { b: "secret" }], status: "ok" });
    expect(paths).toEqual([
      "results",
      "results[].a",
      "results[].b",
      "results[].n",
      "results[].n.iban",
      "status",
    ]);
  });
});

describe("Recorder", () => {
  it("records names and statuses of a call and hands the answer on unchanged", async () => {
    const recorder = new Recorder();
    recorder.at("john/doe", "extend");
    const inner: typeof fetch = async () =>
      new Response(
        JSON.stringify({ action_needed: "authentication_needed", user_input_link: "https://x/?code=abc" }),
        {
          status: 200,
        },
      );
    const response = await recorder.wrap(inner)("https://api.example/data/v1/accounts/acc-123/balance?q=1", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer tok-123456" },
      body: JSON.stringify({ refresh_token: "rt-123456", user: { name: "Jo" } }),
    });
    expect(await response.json()).toMatchObject({ user_input_link: "https://x/?code=abc" });
    expect(recorder.entries).toEqual([
      entry("extend", {
        call: "POST /data/v1/accounts/{id}/balance",
        sent: "(bearer token), q, refresh_token, user, user.name",
        status: "200",
        fields: "action_needed, user_input_link",
        action_needed: "authentication_needed",
        "sent as": "application/json",
        "answer type": "text/plain;charset=utf-8",
        "correlation id": "absent",
      }),
    ]);
    expect(JSON.stringify(recorder.entries)).not.toMatch(/abc|rt-123456|tok-123456|acc-123|Jo"/);
  });

  it("keeps error codes but not descriptions, and an unknown action as (other)", async () => {
    const recorder = new Recorder();
    const answer =
      (body: unknown, status: number): typeof fetch =>
      async () =>
        new Response(JSON.stringify(body), { status });
    await recorder.wrap(
      answer({ error: "invalid_client", error_description: "client sandbox-x is bad" }, 400),
    )("https://a/connect/token");
    await recorder.wrap(answer({ action_needed: "open_the_door" }, 200))("https://a/connections/extend");
    expect(recorder.entries.map((e) => e.facts)).toEqual([
      {
        call: "GET /connect/token",
        sent: "(none)",
        status: "400",
        fields: "error, error_description",
        error: "invalid_client",
        "answer type": "text/plain;charset=utf-8",
        "correlation id": "absent",
      },
      {
        call: "GET /connections/extend",
        sent: "(none)",
        status: "200",
        fields: "action_needed",
        action_needed: "(other)",
        "answer type": "text/plain;charset=utf-8",
        "correlation id": "absent",
      },
    ]);
  });

  it("notes the answer's content type, a correlation id and a Retry-After, never their values", async () => {
    const recorder = new Recorder();
    const inner: typeof fetch = async () =>
      new Response(JSON.stringify({ error: "provider_too_many_requests" }), {
        status: 429,
        headers: {
          "content-type": "application/json; charset=utf-8",
          "x-tl-correlation-id": "corr-0123456789",
          "retry-after": "42",
        },
      });
    await recorder.wrap(inner)("https://a/data/v1/me");
    expect(recorder.entries[0]).toMatchObject({
      facts: {
        status: "429",
        "answer type": "application/json;charset=utf-8",
        "correlation id": "present",
        "retry-after": "present",
      },
      info: "Retry-After: 42 s",
    });
    expect(JSON.stringify(recorder.entries)).not.toContain("corr-0123456789");
  });
});

describe("compareTranscripts", () => {
  const simulator = [
    entry("extend", { call: "POST /extend", status: "200", fields: "action_needed, user_input_link" }),
    entry("return from the bank", { method: "GET", params: "code" }),
  ];

  it("finds no difference between equal shapes", () => {
    expect(compareTranscripts(simulator, simulator)).toEqual([]);
  });

  it("names a status, a field set and a parameter that differ, in order", () => {
    const real = [
      entry("extend", {
        call: "POST /extend",
        status: "400",
        fields: "error, errors.user_has_reconfirmed_consent",
      }),
      entry("return from the bank", { method: "POST", params: "code, state" }),
    ];
    expect(compareTranscripts(real, simulator).map((d) => d.message)).toEqual([
      '[john/doe] extend (POST /extend): status is "400" in the real sandbox, "200" in the simulator',
      "[john/doe] extend (POST /extend): fields is different (only in the real sandbox: error, errors.user_has_reconfirmed_consent; only in the simulator: action_needed, user_input_link)",
      '[john/doe] return from the bank: method is "POST" in the real sandbox, "GET" in the simulator',
      "[john/doe] return from the bank: params is different (only in the real sandbox: state)",
    ]);
  });

  it("names the real run's failure where it failed", () => {
    const real = [
      entry("extend", { call: "POST /extend", status: "200", fields: "action_needed, user_input_link" }),
      entry("bank trip", { failed: "the dialog did not reach the redirect URI" }),
    ];
    expect(compareTranscripts(real, simulator).map((d) => d.message)).toEqual([
      "[john/doe] bank trip: the real sandbox run failed here (the dialog did not reach the redirect URI); the simulator's went on",
    ]);
  });

  it("says where the real run stopped", () => {
    const real = [
      entry("extend", { call: "POST /extend", status: "200", fields: "action_needed, user_input_link" }),
    ];
    expect(compareTranscripts(real, simulator)).toEqual([
      {
        index: 1,
        message:
          "[john/doe] return from the bank: the simulator goes on here; the real sandbox run had stopped",
      },
    ]);
  });
});

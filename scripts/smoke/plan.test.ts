import { describe, expect, it } from "vitest";
import { DEFAULT_REDIRECT_URI, smokePlan } from "./plan";

const creds = { TRUELAYER_CLIENT_ID: "sandbox-acme-1a2b3c", TRUELAYER_CLIENT_SECRET: "s3cr3t-value" };

describe("smokePlan", () => {
  it("skips without credentials, naming what is missing", () => {
    expect(smokePlan({})).toMatchObject({
      kind: "skip",
      reason: expect.stringContaining("TRUELAYER_CLIENT_ID and TRUELAYER_CLIENT_SECRET unset"),
    });
    expect(smokePlan({ TRUELAYER_CLIENT_ID: "sandbox-x", TRUELAYER_CLIENT_SECRET: " " })).toMatchObject({
      kind: "skip",
      reason: expect.stringContaining("(TRUELAYER_CLIENT_SECRET unset)"),
    });
  });

  it("skips for any target but the sandbox, without echoing an unknown value", () => {
    expect(smokePlan({ ...creds, TRUELAYER_TARGET: "simulator" })).toMatchObject({ kind: "skip" });
    expect(smokePlan({ ...creds, TRUELAYER_TARGET: "production" })).toMatchObject({ kind: "skip" });
    const odd = smokePlan({ ...creds, TRUELAYER_TARGET: "s3cr3t-value" });
    expect(odd).toMatchObject({
      kind: "skip",
      reason: expect.stringContaining("TRUELAYER_TARGET=(unknown)"),
    });
  });

  it("runs against the sandbox hosts with the default redirect URI", () => {
    expect(smokePlan(creds)).toEqual({
      kind: "run",
      settings: {
        clientId: creds.TRUELAYER_CLIENT_ID,
        clientSecret: creds.TRUELAYER_CLIENT_SECRET,
        redirectUri: DEFAULT_REDIRECT_URI,
        authUrl: undefined,
        apiUrl: undefined,
      },
    });
    expect(
      smokePlan({ ...creds, TRUELAYER_TARGET: "sandbox", SMOKE_REDIRECT_URI: "http://127.0.0.1:4100/back" }),
    ).toMatchObject({
      kind: "run",
      settings: { redirectUri: "http://127.0.0.1:4100/back" },
    });
  });

  it("refuses what cannot work: a production id, a redirect URI it cannot listen on, the simulator's hosts", () => {
    expect(smokePlan({ ...creds, TRUELAYER_CLIENT_ID: "acme-1a2b3c" })).toMatchObject({ kind: "problem" });
    for (const uri of [
      "https://localhost:3000/callback",
      "http://example.com/callback",
      "http://localhost:3000/cb?x=1",
    ])
      expect(smokePlan({ ...creds, SMOKE_REDIRECT_URI: uri })).toMatchObject({ kind: "problem" });
    expect(smokePlan({ ...creds, TRUELAYER_AUTH_URL: "http://127.0.0.1:3001" })).toMatchObject({
      kind: "problem",
      problem: expect.stringContaining("TRUELAYER_AUTH_URL points at this machine"),
    });
  });
});

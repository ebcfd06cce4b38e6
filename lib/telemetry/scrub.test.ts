import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { scrubSpan } from "./scrub";

// Next.js's own request spans carry the URL, whose query may hold a sign-in token or a bank's code.
describe("scrubSpan", () => {
  it("cuts query strings from URLs and names, drops credential-like attributes, keeps the rest", () => {
    const span = {
      name: "GET /signin/confirm?token=abc123&email=a%40b.test",
      attributes: {
        "http.target": "/signin/confirm?token=abc123&email=a%40b.test",
        "http.url": "https://app.example.co.uk/callback?code=bank-code-1&state=s#frag",
        "url.query": "code=bank-code-1",
        "http.request.header.authorization": "Bearer x",
        "next.route": "/signin/confirm",
        "http.status_code": 200,
        "truelayer.correlation_id": "c0ffee-1",
      },
      events: [{ name: "e", time: [0, 0], attributes: { "http.url": "/reminder?token=t0k3n" } }],
      spanContext: () => ({ traceId: "t", spanId: "s", traceFlags: 1 }),
    } as unknown as ReadableSpan;
    const scrubbed = scrubSpan(span);
    expect(scrubbed.name).toBe("GET /signin/confirm");
    expect(scrubbed.attributes).toEqual({
      "http.target": "/signin/confirm",
      "http.url": "https://app.example.co.uk/callback",
      "next.route": "/signin/confirm",
      "http.status_code": 200,
      "truelayer.correlation_id": "c0ffee-1",
    });
    expect(scrubbed.events[0]?.attributes).toEqual({ "http.url": "/reminder" });
    expect(scrubbed.spanContext().spanId).toBe("s");
    expect(JSON.stringify({ ...scrubbed.attributes, name: scrubbed.name })).not.toMatch(
      /abc123|bank-code|t0k3n|Bearer/,
    );
  });
});

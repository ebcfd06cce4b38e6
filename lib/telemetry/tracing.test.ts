import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { trace } from "@opentelemetry/api";
import { afterAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { createTestConnection, newUser, reconfirmOne } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { flushTracing, registerTracing } from "./register";

// Issue 28 item 1 (decision 053).

const bodies: Buffer[] = [];
const headers: string[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    if (req.url === "/v1/traces") {
      bodies.push(Buffer.concat(chunks));
      headers.push(String(req.headers["x-collector-key"]));
    }
    res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
process.env.OTEL_EXPORTER_OTLP_HEADERS = "x-collector-key=k%3D1";

const suite = integrationSuite();
afterAll(() => new Promise((resolve) => receiver.close(resolve)));

const recording = () => trace.getTracer("probe").startSpan("probe").isRecording();

describe("tracing", () => {
  it("registers nothing without OTEL_EXPORTER_OTLP_ENDPOINT: every span is a no-op", () => {
    expect(registerTracing({ ...env(), OTEL_EXPORTER_OTLP_ENDPOINT: undefined })).toBe(false);
    expect(recording()).toBe(false);
  });

  it("with it, a renewal's TrueLayer call and SQL reach the receiver, with no token, secret, code or address", async () => {
    expect(registerTracing()).toBe(true);
    expect(recording()).toBe(true);
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "eternal");
    const result = await reconfirmOne(user.id, connection.id);
    expect(result.kind === "finished" && result.outcomes[0]?.outcome.kind).toBe("extended");
    await flushTracing();

    const sent = Buffer.concat(bodies).toString("latin1");
    expect(headers[0]).toBe("k=1");
    // Protobuf keeps strings as they are: the span names and attributes can be read from the bytes.
    expect(sent).toContain("truelayer extendConnection");
    expect(sent).toMatch(/truelayer\.correlation_id[\s\S]{1,8}[\w-]{8,}/);
    expect(sent).toContain("http.response.status_code");
    expect(sent).toMatch(/(WITH|UPDATE) Connection/);
    expect(sent).toContain("db.query.summary");
    const row = await suite.prisma.connection.findUniqueOrThrow({ where: { id: connection.id } });
    for (const secret of [
      suite.it.clientSecret,
      user.email ?? "",
      row.accessTokenSealed ?? "",
      row.refreshTokenSealed ?? "",
      "Bearer",
      "refresh_token",
    ])
      expect(sent).not.toContain(secret);
    // No JWT (TrueLayer's access tokens), no statement text or values.
    expect(sent).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
    expect(sent).not.toContain('SET "');
  }, 60_000);
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpFetch, httpSend } from "./transport";

let server: http.Server;
let base: string;
const sockets = new Set<string>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    sockets.add(`${req.socket.remotePort}`);
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      if (req.url === "/echo") {
        res.writeHead(201, {
          "content-type": "application/json",
          "x-seen": req.headers["content-type"] ?? "",
        });
        res.end(JSON.stringify({ method: req.method, body }));
      } else if (req.url === "/empty") {
        res.writeHead(204).end();
      } else if (req.url === "/cut") {
        res.writeHead(200, { "content-length": "100" });
        res.write("partial");
        setTimeout(() => res.destroy(), 20);
      } else if (req.url === "/hang") {
        // Never answers: the caller's timeout must end it.
      } else {
        req.socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("httpFetch (the TrueLayer client's transport)", () => {
  it("sends method, headers and body, and answers like fetch", async () => {
    const res = await httpFetch(`${base}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"a":1}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-seen")).toBe("application/json");
    expect(await res.json()).toEqual({ method: "POST", body: '{"a":1}' });
  });

  it("keeps the connection alive between calls", async () => {
    sockets.clear();
    for (let i = 0; i < 3; i++) await (await httpFetch(`${base}/echo`)).text();
    expect(sockets.size).toBe(1);
  });

  it("gives no body for 204", async () => {
    const res = await httpFetch(`${base}/empty`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
  });

  it("fails with ECONNRESET when the answer is cut off or never comes", async () => {
    await expect(httpFetch(`${base}/cut`)).rejects.toMatchObject({ code: "ECONNRESET" });
    await expect(httpFetch(`${base}/drop`, { method: "POST", body: "x" })).rejects.toMatchObject({
      code: "ECONNRESET",
    });
  });

  it("ends a call that outlives its signal with the signal's TimeoutError", async () => {
    await expect(httpFetch(`${base}/hang`, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: "TimeoutError",
    });
  });
});

describe("httpSend (the same transport without a Response)", () => {
  it("answers with the status, headers and text fetch would give", async () => {
    const call = { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' };
    const res = await httpSend(`${base}/echo`, call, 1_000);
    expect(res.status).toBe(201);
    expect(res.headers.get("x-seen")).toBe("application/json");
    expect(JSON.parse(res.text)).toEqual({ method: "POST", body: '{"a":1}' });
    expect(await httpSend(`${base}/empty`, { method: "DELETE", headers: {} }, 1_000)).toMatchObject({
      status: 204,
      text: "",
    });
  });

  it("ends a call that outlives its time with a TimeoutError, as fetch's signal would", async () => {
    await expect(httpSend(`${base}/hang`, { method: "GET", headers: {} }, 50)).rejects.toMatchObject({
      name: "TimeoutError",
    });
  });
});

import http from "node:http";

// Sits between the app and the TrueLayer simulator and times every call, so a request's own cost can
// be told apart from the time spent waiting on TrueLayer.

export type UpstreamTimer = {
  url: string;
  /** Calls finished so far and the milliseconds they took in total. */
  totals(): { calls: number; ms: number };
  /** Answers so far by path (query left off) and status: `"/data/v1/connections/extend 429": 5`. */
  answers(): Record<string, number>;
  close(): Promise<void>;
};

export async function startUpstreamTimer(targetUrl: string): Promise<UpstreamTimer> {
  const target = new URL(targetUrl);
  const agent = new http.Agent({ keepAlive: true });
  let calls = 0;
  let ms = 0;
  const answers: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    const started = performance.now();
    const forward = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        // Until the answer is handed back to the app: the hop through this timer is upstream time too.
        res.on("finish", () => {
          calls += 1;
          ms += performance.now() - started;
          const key = `${(req.url ?? "").split("?")[0]} ${answer.statusCode}`;
          answers[key] = (answers[key] ?? 0) + 1;
        });
      },
    );
    forward.on("error", () => {
      res.writeHead(502).end();
    });
    req.pipe(forward);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("upstream timer has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    totals: () => ({ calls, ms }),
    answers: () => ({ ...answers }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

import http from "node:http";

// Sits between the app and the TrueLayer simulator and times every call, so a request's own cost can
// be told apart from the time spent waiting on TrueLayer.

export type UpstreamTimer = {
  url: string;
  /** Calls finished so far, and the milliseconds during which at least one call was in flight (calls at once count once). */
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
  let inFlight = 0;
  let busySince = 0;
  const busyMs = () => ms + (inFlight > 0 ? performance.now() - busySince : 0);
  const answers: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    if (inFlight++ === 0) busySince = performance.now();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      if (--inFlight === 0) ms += performance.now() - busySince;
    };
    res.on("close", end);
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
          end();
          const key = `${(req.url ?? "").split("?")[0]} ${answer.statusCode}`;
          answers[key] = (answers[key] ?? 0) + 1;
        });
      },
    );
    forward.on("error", () => {
      end();
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
    totals: () => ({ calls, ms: busyMs() }),
    answers: () => ({ ...answers }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

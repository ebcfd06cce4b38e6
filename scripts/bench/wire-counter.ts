import net from "node:net";

// Counts the SQL statements the app sends, on the wire: a TCP relay in front of PostgreSQL that reads
// the client side of the protocol and counts Query ('Q') and Execute ('E') messages. No app changes
// and no server extension needed; BEGIN and COMMIT count as statements too. It also keeps each
// statement's text (a Query's own, or the Parse an Execute runs), so the report can say which they are.

export type QueryCounter = {
  url: string;
  count(): number;
  /** The texts of the statements counted from the `from`th on, in the order they were sent. */
  texts(from: number): string[];
  close(): Promise<void>;
};

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;

const cString = (body: Buffer, at: number) => {
  const end = body.indexOf(0, at);
  return { text: body.toString("utf8", at, end < 0 ? body.length : end), next: end + 1 };
};

function counting(onStatement: (text: string) => void) {
  let started = false;
  let pending = Buffer.alloc(0);
  // Prepared statements by name ("" is the unnamed one), and which statement each portal runs.
  const prepared = new Map<string, string>();
  const portals = new Map<string, string>();
  return (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (!started) {
        if (pending.length < 8) return;
        const length = pending.readInt32BE(0);
        if (pending.length < length) return;
        const code = pending.readInt32BE(4);
        // An SSL/GSS request is answered with one byte and followed by the real startup message.
        if (code !== SSL_REQUEST && code !== GSS_REQUEST) started = true;
        pending = pending.subarray(length);
        continue;
      }
      if (pending.length < 5) return;
      const length = pending.readInt32BE(1);
      if (pending.length < 1 + length) return;
      const type = String.fromCharCode(pending[0] ?? 0);
      const body = pending.subarray(5, 1 + length);
      if (type === "P") {
        const name = cString(body, 0);
        prepared.set(name.text, cString(body, name.next).text);
      } else if (type === "B") {
        const portal = cString(body, 0);
        portals.set(portal.text, prepared.get(cString(body, portal.next).text) ?? "?");
      } else if (type === "Q") onStatement(cString(body, 0).text);
      else if (type === "E") onStatement(portals.get(cString(body, 0).text) ?? "?");
      pending = pending.subarray(1 + length);
    }
  };
}

export async function startQueryCounter(databaseUrl: string): Promise<QueryCounter> {
  const target = new URL(databaseUrl);
  const statements: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    const count = counting((text) => {
      statements.push(text.replace(/\s+/g, " ").trim());
    });
    client.on("data", (chunk: Buffer) => {
      count(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("query counter has no port");
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(address.port);
  return {
    url: url.toString(),
    count: () => statements.length,
    texts: (from) => statements.slice(from),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

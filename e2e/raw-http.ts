import net from "node:net";
import fc from "fast-check";

// Requests exactly as an attacker would write them: the request line goes out byte for byte (no URL
// parser in between to resolve dot segments, fold backslashes or re-encode), so the server sees the
// spelling the test chose.

export type RawResponse = { status: number; headers: Record<string, string[]>; body: string };

export function rawRequest(
  origin: string,
  request: { method: string; target: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  const body = request.body ?? "";
  const lines = [
    `${request.method} ${request.target} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    "Connection: close",
    ...Object.entries(request.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    ...(body ? [`Content-Length: ${Buffer.byteLength(body)}`] : []),
  ];
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(15_000, () =>
      socket.destroy(new Error(`no answer to ${request.method} ${request.target}`)),
    );
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...headerLines] = head.split("\r\n");
      const headers: Record<string, string[]> = {};
      for (const line of headerLines) {
        const at = line.indexOf(":");
        const name = line.slice(0, at).trim().toLowerCase();
        headers[name] = [...(headers[name] ?? []), line.slice(at + 1).trim()];
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") });
    });
    socket.write(`${lines.join("\r\n")}\r\n\r\n${body}`);
  });
}

const hex = (c: string) => c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0");

/** One way of spelling a path differently; each keeps or changes what a lenient parser would route. */
type Trick = (path: string, at: number) => string;

const onChar = (path: string, at: number, f: (c: string) => string) => {
  const i = 1 + (at % Math.max(1, path.length - 1));
  return path.slice(0, i) + f(path[i] ?? "") + path.slice(i + 1);
};
const onSlash = (path: string, at: number, f: (before: string, after: string) => string) => {
  const slashes = [...path].flatMap((c, i) => (c === "/" ? [i] : []));
  const i = slashes[at % slashes.length] ?? 0;
  return f(path.slice(0, i), path.slice(i + 1));
};

export const TRICKS: Record<string, Trick> = {
  percent: (p, at) => onChar(p, at, (c) => `%${hex(c)}`),
  lowerPercent: (p, at) => onChar(p, at, (c) => `%${hex(c).toLowerCase()}`),
  doublePercent: (p, at) => onChar(p, at, (c) => `%25${hex(c)}`),
  upperCase: (p, at) => onChar(p, at, (c) => c.toUpperCase()),
  dotSegment: (p, at) => onSlash(p, at, (a, b) => `${a}/./${b}`),
  dotDotSegment: (p, at) => onSlash(p, at, (a, b) => `${a}/x/../${b}`),
  encodedDotDot: (p, at) => onSlash(p, at, (a, b) => `${a}/x/%2e%2e/${b}`),
  encodedSlash: (p, at) => onSlash(p, at, (a, b) => `${a}%2F${b}`),
  doubleSlash: (p, at) => onSlash(p, at, (a, b) => `${a}//${b}`),
  backslash: (p, at) => onSlash(p, at, (a, b) => `${a}\\${b}`),
  encodedBackslash: (p, at) => onSlash(p, at, (a, b) => `${a}%5C${b}`),
  trailingSlash: (p) => `${p}/`,
  trailingDot: (p) => `${p}/.`,
  semicolon: (p) => `${p};x=1`,
  tab: (p, at) => onChar(p, at, (c) => `%09${c}`),
  nul: (p, at) => onChar(p, at, (c) => `${c}%00`),
  overlong: (p, at) => onSlash(p, at, (a, b) => `${a}%C0%AF${b}`),
};

/** A non-canonical spelling of `path`: one to three tricks applied in turn. */
export function spellingsOf(path: string): fc.Arbitrary<{ tricks: string[]; target: string }> {
  return fc
    .array(fc.tuple(fc.constantFrom(...Object.keys(TRICKS)), fc.nat(64)), { minLength: 1, maxLength: 3 })
    .map((steps) => ({
      tricks: steps.map(([name]) => name),
      target: steps.reduce((p, [name, at]) => TRICKS[name]?.(p, at) ?? p, path),
    }))
    .filter(({ target }) => target !== path);
}

/** Sec-Fetch-Site and Origin as a cross-site page, an old browser, a sandboxed frame or a script sends them. */
export const crossSiteHeaders = fc.constantFrom<Record<string, string>>(
  { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" },
  { "Sec-Fetch-Site": "same-site", Origin: "https://sub.evil.example" },
  { "Sec-Fetch-Site": "none" },
  { "Sec-Fetch-Site": "cross-site", Origin: "null" },
  { "Sec-Fetch-Site": "cross-site" },
  { Origin: "https://evil.example" },
  { Origin: "null" },
  {},
);

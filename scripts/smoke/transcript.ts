// What the smoke prints and compares: parameter names, status codes and field names, never values.
// Two runs (the real sandbox and the simulator) compare entry by entry; `info` is printed, not compared.

export type Entry = {
  journey: string;
  step: string;
  facts: Record<string, string>;
  info?: string;
};

export const EXTEND_ACTIONS = [
  "no_action_needed",
  "authentication_needed",
  "reconfirmation_of_consent_needed",
];

/** Every key path of a JSON value, arrays as `[]` (the union over their items), sorted. */
export function fieldPaths(value: unknown, prefix = ""): string[] {
  const out = new Set<string>();
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, `${path}[]`);
      return;
    }
    if (node === null || typeof node !== "object") return;
    for (const [key, child] of Object.entries(node)) {
      const here = path ? `${path}.${key}` : key;
      out.add(here);
      walk(child, here);
    }
  };
  walk(value, prefix);
  return [...out].sort();
}

export function names(values: Iterable<string>): string {
  const list = [...new Set(values)].sort();
  return list.length > 0 ? list.join(", ") : "(none)";
}

// Ids in paths (e.g. /accounts/{id}/balance) are values: only the fixed segments are kept.
function pathShape(pathname: string): string {
  return pathname.replace(/(\/accounts\/)[^/]+/, "$1{id}");
}

function bodyNames(contentType: string, body: string): string[] {
  if (!body) return [];
  if (contentType.includes("application/json")) {
    try {
      return fieldPaths(JSON.parse(body));
    } catch {
      return ["(body not JSON)"];
    }
  }
  return [...new URLSearchParams(body).keys()];
}

function answerFacts(status: number, text: string): Record<string, string> {
  const facts: Record<string, string> = { status: String(status) };
  if (!text) return { ...facts, fields: "(empty body)" };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ...facts, fields: "(body not JSON)" };
  }
  facts.fields = names(fieldPaths(json));
  const action = (json as { action_needed?: unknown } | null)?.action_needed;
  // The one value printed: an enum that says which way extend went (anything else is "other").
  if (typeof action === "string") facts.action_needed = EXTEND_ACTIONS.includes(action) ? action : "(other)";
  const error = (json as { error?: unknown } | null)?.error;
  if (typeof error === "string" && /^[a-z0-9_.-]{1,64}$/i.test(error)) facts.error = error;
  return facts;
}

const NO_BODY = new Set([204, 205, 304]);

const mediaType = (value: string | null) => (value ? value.toLowerCase().replace(/\s+/g, "") : "(none)");

// Headers worth comparing (TL "common headers"): the content types both ways, whether the answer carries a
// correlation id to quote to support, and whether it says when to come back. Their values stay out.
function headerFacts(sent: Headers, body: string, answer: Headers): Record<string, string> {
  return {
    ...(body ? { "sent as": mediaType(sent.get("content-type")) } : {}),
    "answer type": mediaType(answer.get("content-type")),
    "correlation id": answer.has("x-tl-correlation-id") ? "present" : "absent",
    ...(answer.has("retry-after") ? { "retry-after": "present" } : {}),
  };
}

export class Recorder {
  readonly entries: Entry[] = [];
  private label = { journey: "", step: "" };

  at(journey: string, step: string) {
    this.label = { journey, step };
  }

  add(step: string, facts: Record<string, string>, info?: string) {
    this.entries.push({ journey: this.label.journey, step, facts, ...(info ? { info } : {}) });
  }

  /** Wraps the transport the client uses, recording each call's shape under the current step. */
  wrap(inner: typeof fetch): typeof fetch {
    return async (input, init = {}) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const headers = new Headers(init.headers);
      const body = typeof init.body === "string" ? init.body : "";
      const sent = [
        ...url.searchParams.keys(),
        ...bodyNames(headers.get("content-type") ?? "", body),
        ...(headers.has("authorization") ? ["(bearer token)"] : []),
      ];
      const call = `${init.method ?? "GET"} ${pathShape(url.pathname)}`;
      let response: Response;
      try {
        response = await inner(input, init);
      } catch (error) {
        this.add(this.label.step, { call, sent: names(sent), status: "(no answer)" });
        throw error;
      }
      const text = await response.text();
      const retryAfter = response.headers.get("retry-after");
      this.add(
        this.label.step,
        {
          call,
          sent: names(sent),
          ...answerFacts(response.status, text),
          ...headerFacts(headers, body, response.headers),
        },
        retryAfter && /^\d{1,6}$/.test(retryAfter) ? `Retry-After: ${retryAfter} s` : undefined,
      );
      return new Response(NO_BODY.has(response.status) ? null : text, {
        status: response.status,
        headers: response.headers,
      });
    };
  }
}

export function formatEntry(entry: Entry): string {
  const facts = Object.entries(entry.facts).map(([key, value]) => `${key}: ${value}`);
  const info = entry.info ? [`(not compared) ${entry.info}`] : [];
  return `[${entry.journey}] ${entry.step}\n${[...facts, ...info].map((line) => `    ${line}`).join("\n")}`;
}

export type Difference = { index: number; message: string };

function where(entry: Entry): string {
  return `[${entry.journey}] ${entry.step}${entry.facts.call ? ` (${entry.facts.call})` : ""}`;
}

/** Entry by entry: the first difference is the one that matters, the rest may follow from it. */
export function compareTranscripts(real: Entry[], simulator: Entry[]): Difference[] {
  const out: Difference[] = [];
  const length = Math.max(real.length, simulator.length);
  for (let index = 0; index < length; index++) {
    const a = real[index];
    const b = simulator[index];
    if (!a && b) {
      out.push({
        index,
        message: `${where(b)}: the simulator goes on here; the real sandbox run had stopped`,
      });
      break;
    }
    if (a && !b) {
      out.push({ index, message: `${where(a)}: the real sandbox run goes on where the simulator's ended` });
      break;
    }
    if (!a || !b) break;
    if (a.facts.failed && !b.facts.failed) {
      out.push({
        index,
        message: `${where(a)}: the real sandbox run failed here (${a.facts.failed}); the simulator's went on`,
      });
      break;
    }
    if (a.journey !== b.journey || a.step !== b.step || a.facts.call !== b.facts.call) {
      out.push({ index, message: `${where(a)}: the simulator does ${where(b)} at this point` });
      break;
    }
    for (const key of new Set([...Object.keys(a.facts), ...Object.keys(b.facts)])) {
      const ours = b.facts[key] ?? "(absent)";
      const theirs = a.facts[key] ?? "(absent)";
      if (ours !== theirs) {
        out.push({ index, message: `${where(a)}: ${key} is ${detail(theirs, ours)}` });
      }
    }
  }
  return out;
}

function detail(real: string, simulator: string): string {
  const split = (value: string) => new Set(value.split(", "));
  const r = split(real);
  const s = split(simulator);
  const extra = [...r].filter((name) => !s.has(name));
  const missing = [...s].filter((name) => !r.has(name));
  if (r.size > 1 || s.size > 1) {
    const parts = [];
    if (extra.length > 0) parts.push(`only in the real sandbox: ${extra.join(", ")}`);
    if (missing.length > 0) parts.push(`only in the simulator: ${missing.join(", ")}`);
    return `different (${parts.join("; ")})`;
  }
  return `"${real}" in the real sandbox, "${simulator}" in the simulator`;
}

import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

// Next.js spans carry the URL (`http.target`, `http.url`), and sign-in, reminder and callback URLs hold one-time
// tokens and codes: every span passes here, losing query strings, fragments and credential-named attributes.
const SENSITIVE_KEY = /authorization|cookie|token|secret|password|email|url\.query/i;

function scrubValue(value: unknown): unknown {
  if (typeof value === "string")
    return /^(https?:\/\/|\/)/i.test(value) ? value.replace(/[?#].*$/s, "") : value;
  return value;
}

export function scrubAttributes(attributes: Attributes): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (SENSITIVE_KEY.test(key)) continue;
    kept[key] = scrubValue(value) as Attributes[string];
  }
  return kept;
}

/** The same span, read through: its name and attributes (and its events') scrubbed; everything else as it was. */
export function scrubSpan(span: ReadableSpan): ReadableSpan {
  return Object.create(span, {
    name: { value: String(scrubValue(span.name)).replace(/\?.*$/s, "") },
    attributes: { value: scrubAttributes(span.attributes) },
    events: {
      value: span.events.map((event) => ({
        ...event,
        attributes: event.attributes ? scrubAttributes(event.attributes) : undefined,
      })),
    },
  });
}

type Done = Parameters<SpanExporter["export"]>[1];

export class ScrubbingExporter implements SpanExporter {
  constructor(private readonly next: SpanExporter) {}
  export(spans: ReadableSpan[], done: Done): void {
    this.next.export(spans.map(scrubSpan), done);
  }
  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.next.forceFlush?.() ?? Promise.resolve();
  }
}

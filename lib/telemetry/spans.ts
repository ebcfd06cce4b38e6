import { type Attributes, type Span, SpanStatusCode, trace } from "@opentelemetry/api";

// No-op until registered (register.ts). Attributes: our names, statuses, TrueLayer's correlation id; never a token, a
// code, an address or a statement's values.
const tracer = trace.getTracer("reconsent");

function errorType(error: unknown): string {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string")
    return error.code.slice(0, 64);
  return error instanceof Error ? error.name : "unknown";
}

export function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      // Never recordException: a message may quote an upstream body.
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute("error.type", errorType(error));
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A statement as OpenTelemetry summarises one, its first word and first table name, never its text or values. */
export function sqlSummary(text: string): { operation: string; summary: string } {
  const operation = /^\s*([a-z]+)/i.exec(text)?.[1]?.toUpperCase() ?? "SQL";
  const table = /\b(?:from|into|update|join)\s+"([A-Za-z_]+)"/i.exec(text)?.[1];
  return { operation, summary: table ? `${operation} ${table}` : operation };
}

import { ProxyTracerProvider, trace } from "@opentelemetry/api";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPHttpProtoTraceExporter, registerOTel } from "@vercel/otel";
import { type Env, env } from "@/lib/env";
import { ScrubbingExporter } from "./scrub";

/** OTEL_EXPORTER_OTLP_HEADERS: `key=value,key2=value2` (URL-encoded values), as the OpenTelemetry spec writes it. */
export function otlpHeaders(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (value ?? "").split(",")) {
    const at = pair.indexOf("=");
    if (at > 0) headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}

/** To OTEL_EXPORTER_OTLP_ENDPOINT when set (decision 053), through ScrubbingExporter; else no-op spans. */
export function registerTracing(
  config: Pick<Env, "OTEL_EXPORTER_OTLP_ENDPOINT" | "OTEL_EXPORTER_OTLP_HEADERS"> = env(),
) {
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return false;
  const exporter = new OTLPHttpProtoTraceExporter({
    url: `${endpoint}/v1/traces`,
    headers: otlpHeaders(config.OTEL_EXPORTER_OTLP_HEADERS),
  });
  registerOTel({
    serviceName: "reconsent",
    spanProcessors: [new BatchSpanProcessor(new ScrubbingExporter(exporter))],
    // Our own spans name TrueLayer's calls; a span per fetch would only repeat them with their URLs.
    instrumentations: [],
  });
  return true;
}

export async function flushTracing(): Promise<void> {
  const provider = trace.getTracerProvider();
  const delegate = provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider;
  const flush = (delegate as { forceFlush?: () => Promise<void> }).forceFlush;
  if (flush) await flush.call(delegate);
}

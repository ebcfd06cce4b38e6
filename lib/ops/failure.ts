import { EnvError } from "@/lib/env";
import { redactText } from "@/lib/truelayer/redact";

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "EAI_AGAIN", "ECONNRESET"]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code =
    (error as { code?: unknown; errorCode?: unknown }).code ?? (error as { errorCode?: unknown }).errorCode;
  if (typeof code === "string") return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? undefined : codeOf(cause);
}

/** What an operator command prints when it stops: one line, no stack, no secret (redacted, and URLs never shown). */
export function describeFailure(error: unknown): string {
  if (error instanceof EnvError) return `the environment is not valid: ${error.problems.join("; ")}.`;
  const code = codeOf(error);
  const name = error instanceof Error ? error.name : "Error";
  if ((code && CONNECTION_CODES.has(code)) || name === "PrismaClientInitializationError" || code === "P1001")
    return `could not reach the database (${code ?? name}). Check DATABASE_URL and that the database is up.`;
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split("\n").find((l) => l.trim() !== "") ?? name;
  const text = redactText(line.trim()).replace(/\b[a-z]+:\/\/\S+/gi, "[address]");
  return `${name}: ${text.length > 240 ? `${text.slice(0, 237)}...` : text}`;
}

import "server-only";
import type { z } from "zod";
import { safeCode, TrueLayerError, type TrueLayerOperation } from "./errors";
import { correlationIdOf, type HttpResponse, isIdempotent } from "./http";
import { redactText } from "./redact";
import { type ErrorBody, errorBodySchema } from "./schemas";

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const TOKEN_OPERATIONS: ReadonlySet<TrueLayerOperation> = new Set([
  "exchangeCode",
  "refreshToken",
  "extendConnection",
]);
// The bank wants the user back: these mock-bank / provider codes cannot be fixed by retrying.
const USER_MUST_RECONNECT = new Set(["invalid_grant", "user_input_required", "wrong_credentials"]);
// Codes the simulator and real-world reports use for "reconfirmation screen not yet reviewed by TrueLayer".
const SCREEN_NOT_REVIEWED_CODES = new Set([
  "consent_screen_not_reviewed",
  "consent_screen_not_approved",
  "reconfirmation_screen_not_reviewed",
  "reconfirmation_screen_not_approved",
]);
// At a code exchange, TL error codes: invalid_authorization_code is a wrong, used or over-5-minute code, and
// invalid_grant (its older name here) the same or a redirect_uri mismatch. A new link cures it, not the bank.
const CODE_REFUSALS = new Set(["invalid_authorization_code", "invalid_grant"]);
const SCREEN_WORDING =
  /\b(consent|reconfirmation)\b[\w\s-]{0,30}\bscreen\b|\bscreen\b[\w\s-]{0,40}\b(review|approv)/i;
const MAX_DETAIL = 300;

function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fallbackCode(status: number): string {
  if (status === 429) return "rate_limited";
  if (status === 401) return "unauthorized";
  if (status >= 500) return "server_error";
  return `http_${status}`;
}

export function retryAfterSeconds(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function fieldErrors(body: ErrorBody): Record<string, string[]> | undefined {
  if (!body.errors) return undefined;
  const entries = Object.entries(body.errors).map(([field, messages]) => [
    field,
    (Array.isArray(messages) ? messages : [messages]).map((m) => redactText(m).slice(0, MAX_DETAIL)),
  ]);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

// TrueLayer documents no shape for it: a code of its own, a description naming the screen, or a validation
// error on `user_has_reconfirmed_consent` alone (we always send it as true, so that is the refusal).
function isScreenNotReviewed(code: string, body: ErrorBody): boolean {
  if (SCREEN_NOT_REVIEWED_CODES.has(code)) return true;
  const fields = Object.keys(body.errors ?? {});
  if (fields.length > 0) return fields.every((field) => field === "user_has_reconfirmed_consent");
  return SCREEN_WORDING.test(body.error_description ?? "");
}

export function errorFromResponse(
  operation: TrueLayerOperation,
  response: HttpResponse,
  knownSecrets: readonly string[],
): TrueLayerError {
  const { status } = response;
  const parsed = errorBodySchema.safeParse(readJson(response.text));
  const body: ErrorBody = parsed.success ? parsed.data : { error: undefined, error_description: undefined };
  const code = status === 429 ? "rate_limited" : safeCode(body.error, fallbackCode(status));
  const codeRejected = operation === "exchangeCode" && status === 400 && CODE_REFUSALS.has(code);
  // TrueLayer's error page: 401 unauthorized_client is an incorrect auth link, client id or redirect URI (ours).
  // At a refresh or a code exchange any other 401 says nothing about the user's consent either; only extend's
  // plain 401 is read as "reconnect", as integrators do.
  const configRejected =
    status === 401 &&
    code !== "invalid_client" &&
    (code === "unauthorized_client" || (TOKEN_OPERATIONS.has(operation) && operation !== "extendConnection"));
  const reconnectRequired =
    !configRejected &&
    ((USER_MUST_RECONNECT.has(code) && !codeRejected) ||
      (status === 401 && operation === "extendConnection" && code !== "invalid_client") ||
      (status === 403 && code === "access_denied"));
  return new TrueLayerError({
    operation,
    code,
    status,
    retryable: RETRYABLE_STATUS.has(status),
    reconnectRequired,
    outcomeUnknown: status >= 500 && !isIdempotent(operation),
    fieldErrors: fieldErrors(body),
    consentScreenNotReviewed:
      operation === "extendConnection" && status === 400 && isScreenNotReviewed(code, body),
    clientRejected: code === "invalid_client",
    configRejected,
    codeRejected,
    retryAfterSeconds: RETRYABLE_STATUS.has(status) ? retryAfterSeconds(response.headers) : undefined,
    correlationId: correlationIdOf(response.headers),
    detail: body.error_description
      ? redactText(body.error_description, knownSecrets).slice(0, MAX_DETAIL)
      : undefined,
  });
}

export function malformed(
  operation: TrueLayerOperation,
  status: number,
  detail: string,
  retryable: boolean,
  correlationId?: string,
) {
  return new TrueLayerError({
    operation,
    code: "malformed_response",
    status,
    retryable,
    outcomeUnknown: !isIdempotent(operation),
    detail,
    correlationId,
  });
}

function issuePaths(error: z.ZodError): string {
  const paths = error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.code}`);
  return paths.slice(0, 5).join("; ");
}

export function okBody(
  operation: TrueLayerOperation,
  response: HttpResponse,
  knownSecrets: readonly string[],
) {
  if (response.status < 200 || response.status > 299) {
    throw errorFromResponse(operation, response, knownSecrets);
  }
  const json = readJson(response.text);
  // A truncated body is transient; a well-formed body of the wrong shape will not fix itself.
  const correlationId = correlationIdOf(response.headers);
  if (json === undefined)
    throw malformed(operation, response.status, "body is not JSON", true, correlationId);
  return {
    as<S extends z.ZodType>(schema: S): z.output<S> {
      const result = schema.safeParse(json);
      if (!result.success)
        throw malformed(operation, response.status, issuePaths(result.error), false, correlationId);
      return result.data;
    },
  };
}

export function parseOk<S extends z.ZodType>(
  operation: TrueLayerOperation,
  response: HttpResponse,
  schema: S,
  knownSecrets: readonly string[],
): z.output<S> {
  return okBody(operation, response, knownSecrets).as(schema);
}

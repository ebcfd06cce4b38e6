export type TrueLayerOperation =
  | "buildAuthLink"
  | "exchangeCode"
  | "refreshToken"
  | "extendConnection"
  | "getMe"
  | "getAccounts"
  | "getBalance"
  | "deleteConnection";

export interface TrueLayerErrorInit {
  operation: TrueLayerOperation;
  /** TrueLayer's `error` value, or one of ours: timeout, network, malformed_response, unexpected_response, rate_limited, http_<status>. */
  code: string;
  status?: number;
  retryable?: boolean;
  reconnectRequired?: boolean;
  outcomeUnknown?: boolean;
  fieldErrors?: Record<string, string[]>;
  consentScreenNotReviewed?: boolean;
  clientRejected?: boolean;
  configRejected?: boolean;
  codeRejected?: boolean;
  retryAfterSeconds?: number;
  /** TrueLayer's X-TL-Correlation-Id for this answer, to quote to its support. */
  correlationId?: string;
  /** For logs only, never shown to users: the redacted error_description, or which fields failed to parse. */
  detail?: string;
  cause?: unknown;
}

const SAFE_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/** Upstream codes end up in logs and in our message, so anything that is not a plain identifier is dropped. */
export function safeCode(value: unknown, fallback: string): string {
  return typeof value === "string" && SAFE_CODE.test(value) ? value : fallback;
}

function summarise(init: TrueLayerErrorInit): string {
  const parts = [`TrueLayer ${init.operation} failed: ${init.code}`];
  if (init.status !== undefined) parts.push(`(HTTP ${init.status})`);
  if (init.outcomeUnknown) parts.push("- TrueLayer may have processed the request");
  if (init.reconnectRequired) parts.push("- the user must reconnect at their bank");
  return parts.join(" ");
}

export class TrueLayerError extends Error {
  override readonly name = "TrueLayerError";
  readonly operation: TrueLayerOperation;
  readonly code: string;
  readonly status?: number;
  readonly retryable: boolean;
  readonly reconnectRequired: boolean;
  /** A state-changing call may have taken effect upstream even though we got no usable answer. */
  readonly outcomeUnknown: boolean;
  readonly fieldErrors?: Record<string, string[]>;
  readonly consentScreenNotReviewed: boolean;
  /** invalid_client: our client credentials were refused (a 400 or 401; intermittent after a rotation). Never a token problem. */
  readonly clientRejected: boolean;
  /** A 401 at a token call (unauthorized_client: auth link, client id or redirect URI): our configuration, never the user's. */
  readonly configRejected: boolean;
  /** A code exchange refused the code itself: wrong, already used or over 5 minutes old. Start again. */
  readonly codeRejected: boolean;
  readonly retryAfterSeconds?: number;
  readonly correlationId?: string;
  readonly detail?: string;

  constructor(init: TrueLayerErrorInit) {
    super(summarise(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.operation = init.operation;
    this.code = init.code;
    this.status = init.status;
    this.retryable = init.retryable ?? false;
    this.reconnectRequired = init.reconnectRequired ?? false;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.fieldErrors = init.fieldErrors;
    this.consentScreenNotReviewed = init.consentScreenNotReviewed ?? false;
    this.clientRejected = init.clientRejected ?? false;
    this.configRejected = init.configRejected ?? false;
    this.codeRejected = init.codeRejected ?? false;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.correlationId = init.correlationId;
    this.detail = init.detail;
  }

  /** What a logger gets: every field except the cause, which may hold socket details. */
  toJSON() {
    return {
      name: this.name,
      message: this.message,
      operation: this.operation,
      code: this.code,
      status: this.status,
      retryable: this.retryable,
      reconnectRequired: this.reconnectRequired,
      outcomeUnknown: this.outcomeUnknown,
      consentScreenNotReviewed: this.consentScreenNotReviewed,
      clientRejected: this.clientRejected,
      configRejected: this.configRejected,
      codeRejected: this.codeRejected,
      fieldErrors: this.fieldErrors,
      retryAfterSeconds: this.retryAfterSeconds,
      correlationId: this.correlationId,
      detail: this.detail,
    };
  }
}

export function isTrueLayerError(value: unknown): value is TrueLayerError {
  return value instanceof TrueLayerError;
}

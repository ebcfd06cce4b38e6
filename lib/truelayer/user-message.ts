import { TrueLayerError } from "./errors";

const BY_CODE: Record<string, string> = {
  account_permanently_locked: "Your bank has locked this account. Please contact your bank.",
  account_temporarily_locked: "Your bank has temporarily locked this account. Please try again later.",
  sca_exceeded: "Your bank only lets us see recent history without you signing in again.",
  provider_error: "Your bank is having problems right now. Please try again later.",
  endpoint_not_supported: "Your bank doesn't support this yet.",
  deprecated_provider: "This bank connection is no longer supported. Please connect your bank again.",
};

/** Plain English for end users. Never includes upstream text, tokens or error codes. */
export function userMessageFor(error: unknown): string {
  if (!(error instanceof TrueLayerError)) return "Something went wrong. Please try again.";
  if (error.consentScreenNotReviewed) {
    return "Renewing access to your bank isn't available yet. Your data is safe; please try again later.";
  }
  if (error.fieldErrors) {
    return "Some of your details are missing or invalid. Please check your name and your email or phone number.";
  }
  if (error.codeRejected) {
    return "The link from your bank had already been used or had expired. Please start again.";
  }
  if (error.reconnectRequired) {
    return "Your bank connection has expired or was withdrawn. Please reconnect your bank to continue.";
  }
  const known = BY_CODE[error.code];
  if (known) return known;
  if (error.outcomeUnknown) {
    return "We couldn't confirm whether your bank finished the request. Please check the connection status before trying again.";
  }
  if (error.code === "rate_limited")
    return "Your bank is busy right now. Please wait a minute and try again.";
  if (error.retryable) return "We couldn't reach your bank just now. Please try again in a few minutes.";
  if (error.code === "unauthorized") return "Your session with your bank has expired. Please try again.";
  return "Something went wrong while talking to your bank. Please try again later.";
}

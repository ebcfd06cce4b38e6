import type { z } from "zod";
import { contentType, json, type Result, type SandboxRequest } from "../http";
import { fieldErrors } from "./extend-body";

/**
 * Parses a control's JSON body. Anything but application/json is refused (415): a cross-site form or
 * text/plain POST cannot then reach a control, because a browser must preflight a JSON request.
 */
export function parseControl<T>(schema: z.ZodType<T>, req: SandboxRequest): { data: T } | { result: Result } {
  if (contentType(req) !== "application/json") {
    return {
      result: json(415, {
        error: "unsupported_media_type",
        error_description: "Controls take a JSON body (content-type: application/json).",
      }),
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(req.rawBody);
  } catch {
    return { result: json(400, { error: "invalid_request", error_description: "The body is not JSON." }) };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { data: parsed.data };
  return {
    result: json(400, {
      error: "validation_error",
      error_description: "Invalid control request.",
      errors: fieldErrors(parsed.error),
    }),
  };
}

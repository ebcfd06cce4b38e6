import { z } from "zod";
import { type FaultEndpoint, json, type Result } from "./http";

export const FAULT_KINDS = [
  "delay",
  "500",
  "503",
  "429",
  "malformed_json",
  "reset",
  "lost_response",
  "unauthorized_client",
] as const;

export const FaultInput = z.object({
  clientId: z.string().min(1).optional(),
  /** `data` hits every Data API call (balances included); `balance` only balance calls. */
  endpoint: z.enum(["token", "extend", "data", "balance", "delete", "reauthuri"]),
  count: z.number().int().positive().default(1),
  kind: z.enum(FAULT_KINDS),
  ms: z.number().int().nonnegative().max(60_000).optional(),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
});

export type Fault = z.infer<typeof FaultInput> & { id: number };

/** Queued one-shot failures, matched per endpoint and (optionally) per client id. Not persisted. */
export class Faults {
  private queue: Fault[] = [];
  private nextId = 1;

  add(input: z.infer<typeof FaultInput>): Fault {
    const fault = { ...input, id: this.nextId++ };
    this.queue.push(fault);
    return fault;
  }

  take(endpoints: FaultEndpoint[], clientId: string | undefined): Fault | undefined {
    const fault = this.queue.find(
      (f) => endpoints.includes(f.endpoint) && (f.clientId === undefined || f.clientId === clientId),
    );
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) this.queue = this.queue.filter((f) => f !== fault);
    return { ...fault };
  }

  reset(clientId?: string): void {
    this.queue = clientId === undefined ? [] : this.queue.filter((f) => f.clientId !== clientId);
  }
}

/** The response a fault sends instead of the real one; undefined means "carry on". */
export function faultResult(fault: Fault): Result | undefined {
  switch (fault.kind) {
    case "500":
      return json(500, { error: "internal_error", error_description: "Injected fault: internal error." });
    case "503":
      return json(503, { error: "service_unavailable", error_description: "Injected fault: unavailable." });
    case "429":
      return json(
        429,
        // TL error codes list 429 provider_too_many_requests.
        { error: "provider_too_many_requests", error_description: "Injected fault: too many requests." },
        { "retry-after": String(fault.retryAfterSeconds ?? 1) },
      );
    // TL error codes: 401 unauthorized_client is "an incorrect auth link, client_id or redirect_uri".
    case "unauthorized_client":
      return json(401, {
        error: "unauthorized_client",
        error_description: "Injected fault: the client is not authorised for this request.",
      });
    case "malformed_json":
      return {
        status: 200,
        headers: { "content-type": "application/json" },
        body: '{"results":[{"unterminated',
      };
    case "reset":
      return { status: 0, destroy: true };
    default:
      return undefined;
  }
}

/** What the caller sees when the operation happened but its answer was lost on the way back. */
export const lostResponse: Result = {
  status: 502,
  headers: { "content-type": "text/html" },
  body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
};

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

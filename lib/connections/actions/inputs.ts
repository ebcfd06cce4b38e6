import { z } from "zod";

// Apart from the "use server" files (which export only async functions), so tests can throw random input at them.

// Anything not id-shaped (e.g. a NUL byte PostgreSQL would refuse) is turned away here, not by the database.
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const ConnectInput = z.object({
  providerId: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, { error: "Choose a bank from the list." })
    .optional(),
  connectionId: id.optional(),
});

export const ContinueInput = z.object({ reconfirmationId: id, connectionId: id });

export const DeclineInput = z.object({
  connectionId: z.array(id).max(20),
  shownConnectionId: z.array(id).min(1).max(20),
});

export const ConfirmDeclineInput = z.object({ connectionId: z.array(id).min(1).max(20) });

export const StopSharingInput = z.object({ connectionId: id });

export { ReconfirmInput } from "../reconfirm/workflow";

// Sent by a page that showed the "link asked for on another device" notice (app/_components/asked-elsewhere-notice.tsx).
const elsewhereSeen = z.literal("yes").optional();
export const FinishParkedInput = z.object({ exchange: id, elsewhereSeen });
export const FinishReturnInput = z.object({ elsewhereSeen });

import { z } from "zod";

// Apart from the "use server" files, which may export only async functions.

// An unticked checkbox sends nothing, so absence means "off".
export const ReminderPreferenceInput = z.object({ remindersEnabled: z.literal("on").optional() });

export { UpdateNameInput } from "../name";

export const DeleteAccountInput = z.object({
  understood: z.literal("on", { error: "Tick the box to confirm that you want your account deleted." }),
});

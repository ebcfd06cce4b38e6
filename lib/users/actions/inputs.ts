import { z } from "zod";

// Apart from the "use server" files, which may export only async functions.

// An unticked checkbox sends nothing, so absence means "off".
export const ReminderPreferenceInput = z.object({ remindersEnabled: z.literal("on").optional() });

export { UpdateNameInput } from "../name";

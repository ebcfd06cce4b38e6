import { z } from "zod";
import { EmailAddress } from "../email-address";

// Apart from the "use server" file, which may export only async functions.
export const RequestLinkInput = z.object({ email: EmailAddress, callbackUrl: z.unknown() });

export const NoInput = z.object({});

export const OpenReminderLinkInput = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

import { z } from "zod";
import { EmailAddress } from "../email-address";

// Apart from the "use server" file, which may export only async functions.
export const RequestLinkInput = z.object({ email: EmailAddress, callbackUrl: z.unknown() });

export const NoInput = z.object({});

/** The reminder mail's token: 32 random bytes, base64url (lib/auth/reminder-link.ts). */
export const OpenReminderLinkInput = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

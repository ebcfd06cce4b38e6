import { z } from "zod";
import { EmailAddress } from "../email-address";

// Apart from the "use server" file, which may export only async functions.
export const RequestLinkInput = z.object({ email: EmailAddress, callbackUrl: z.unknown() });

export const NoInput = z.object({});

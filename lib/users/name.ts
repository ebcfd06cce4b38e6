import { z } from "zod";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { nameCharacterProblem } from "./name-characters";

// Lenient on purpose: names come in every shape. What is stored is what is sent as TrueLayer's user.name (048).
export const FullName = z
  .string({ error: "Enter your full name." })
  .transform((value) => value.normalize("NFC").trim().replace(/\s+/g, " "))
  .superRefine((value, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: "custom", message });
    if (value.length === 0) return problem("Enter your full name.");
    if (value.length < 2) problem("Your name needs at least 2 characters.");
    if (value.length > 100) problem("Your name can be at most 100 characters.");
    const character = nameCharacterProblem(value);
    if (character) problem(character);
    else if (!/\p{L}/u.test(value)) problem("Your name needs at least one letter.");
  });

export const UpdateNameInput = z.object({
  name: FullName,
  /** Set by the first-sign-in page: where to continue once the name is saved (a path on this site). */
  next: z
    .string()
    .optional()
    .transform((value) => (value === undefined ? undefined : safeCallbackUrl(value))),
});

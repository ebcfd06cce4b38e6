import { z } from "zod";

/** Lower-cased and NFKC-normalised as next-auth's email provider does, so both agree on the identifier. */
export const EmailAddress = z
  .string({ error: "Enter your email address." })
  .transform((value) => value.normalize("NFKC").trim().toLowerCase())
  .pipe(
    z
      .string()
      .min(1, { error: "Enter your email address." })
      .max(254, { error: "That email address is too long." })
      .pipe(z.email({ error: "Enter an email address like name@example.com." })),
  );

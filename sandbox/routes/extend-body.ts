import { z } from "zod";
import { json, type Result } from "../http";

const required = (field: string) => ({ error: `${field} is required.` });

export const ExtendBody = z.object({
  client_id: z.string(required("client_id")).min(1, required("client_id")),
  client_secret: z.string(required("client_secret")).min(1, required("client_secret")),
  refresh_token: z.string(required("refresh_token")).min(1, required("refresh_token")),
  redirect_uri: z.url({ error: "redirect_uri must be an absolute URL." }),
  user_has_reconfirmed_consent: z.literal(true, {
    error: "user_has_reconfirmed_consent must be true, sent only after the user reconfirmed consent.",
  }),
  user: z
    .object(
      {
        id: z.string().optional(),
        name: z.string(required("user.name")).trim().min(1, required("user.name")),
        email: z.email({ error: "user.email must be a valid email address." }).optional(),
        phone: z
          .string()
          .regex(/^\+?[0-9][0-9 ()-]{6,19}$/, { error: "user.phone must be a valid phone number." })
          .optional(),
      },
      required("user"),
    )
    .refine((u) => u.email !== undefined || u.phone !== undefined, {
      path: ["email"],
      error: "user.email or user.phone is required.",
    }),
  state: z.string().optional(),
});

export type ExtendInput = z.infer<typeof ExtendBody>;

export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "body";
    errors[key] = [...(errors[key] ?? []), issue.message];
  }
  return errors;
}

export function validationError(errors: Record<string, string[]>): Result {
  return json(400, {
    error: "validation_error",
    error_description: "The request has missing or invalid fields.",
    errors,
  });
}

import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { db, sql } from "@/lib/db";
import type { CallbackParams } from "./callback";
import { openSecret, sealSecret } from "./tokens";

/** A form_post return lives for as long as a code does. */
const POST_MS = 5 * 60 * 1000;
const FIELDS = ["code", "state", "error"] as const;

/**
 * A bank return can arrive as a cross-site POST (TrueLayer's `form_post`), which carries none of our
 * SameSite=Lax cookies. It is only recorded here, sealed, and the browser is sent to a GET of our own
 * that carries them, where the return is judged like any other. Nothing else happens on the POST.
 */
export async function recordCallbackPost(form: FormData): Promise<string | null> {
  const params: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = form.get(field);
    if (typeof value === "string" && value.length > 0 && value.length <= 2048) params[field] = value;
  }
  if (!params.code && !params.error) return null;
  const row = await db().callbackPost.create({
    data: {
      paramsSealed: sealSecret(JSON.stringify(params)),
      expiresAt: new Date(now().getTime() + POST_MS),
    },
    select: { id: true },
  });
  return row.id;
}

/** The recorded fields, once: the row is deleted in the statement that reads it. */
export async function takeCallbackPost(id: string): Promise<CallbackParams | null> {
  const { rows } = await sql<{ paramsSealed: string }>(Prisma.sql`
    DELETE FROM "CallbackPost" WHERE "id" = ${id} AND "expiresAt" > ${now()}::timestamp(3)
    RETURNING "paramsSealed"`);
  const row = rows[0];
  if (!row) return null;
  const params = JSON.parse(openSecret(row.paramsSealed)) as Record<string, string>;
  return { code: params.code, state: params.state, error: params.error };
}

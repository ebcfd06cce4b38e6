"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { env } from "@/lib/env";
import { endSession, sessionCookieName } from "../sessions";

/** Ends the session this browser holds (deleted in the database, cookie cleared). Works without JS. */
export async function signOutAction(): Promise<never> {
  const store = await cookies();
  const name = sessionCookieName();
  const token = store.get(name)?.value;
  if (token) await endSession(token);
  store.set(name, "", {
    httpOnly: true,
    sameSite: "lax",
    secure: env().APP_URL.startsWith("https://"),
    path: "/",
    maxAge: 0,
  });
  redirect("/signin?signedOut=1");
}

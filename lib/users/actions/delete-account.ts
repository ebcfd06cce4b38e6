"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { sessionCookieName, sessionCookieOptions } from "@/lib/auth/sessions";
import { deleteAccount } from "../delete-account";
import { deletedPath } from "../deleted-page";
import { DeleteAccountInput } from "./inputs";

/** Deletes the signed-in user's own account (lib/users/delete-account.ts); every device is signed out. */
export const deleteAccountAction = authedAction(
  DeleteAccountInput,
  async (_input, user) => {
    const result = await deleteAccount(user.id);
    (await cookies()).set(sessionCookieName(), "", sessionCookieOptions(0));
    redirect(deletedPath(result.status === "deleted" ? result.pending : []));
  },
  { signInReturnTo: "/settings/delete" },
);

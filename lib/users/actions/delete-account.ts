"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { sessionCookieName, sessionCookieOptions } from "@/lib/auth/session-cookie";
import { requireRecentSignIn } from "@/lib/auth/step-up";
import { recordSecurityEvent } from "@/lib/security/events";
import { deleteAccount } from "../delete-account";
import { deletedPath } from "../deleted-page";
import { DeleteAccountInput } from "./inputs";

/** Deletes the signed-in user's own account (lib/users/delete-account.ts); every device is signed out. */
export const deleteAccountAction = authedAction(
  DeleteAccountInput,
  async (_input, user) => {
    // The page asked for a recent sign-in; a session that has since aged past it is asked again.
    await requireRecentSignIn("/settings/delete");
    const result = await deleteAccount(user.id);
    // The account's own events went with it (erasure); this one names no one.
    if (result.status === "deleted") await recordSecurityEvent({ kind: "ACCOUNT_DELETED" });
    (await cookies()).set(sessionCookieName(), "", sessionCookieOptions(0));
    redirect(deletedPath(result.status === "deleted" ? result.pending : []));
  },
  // Failed after it began (the account marked, every device signed out): the scheduled job finishes it.
  { signInReturnTo: "/settings/delete", closedTo: deletedPath([], true) },
);

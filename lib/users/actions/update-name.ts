"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { UpdateNameInput } from "../name";
import { updateUserName } from "../queries";

/** The signed-in user's own full name: the only row it can touch is the session's user. */
export const updateNameAction = authedAction(
  UpdateNameInput,
  async ({ name, next }, user) => {
    await updateUserName(user.id, name);
    revalidatePath("/", "layout");
    if (next) redirect(next);
    return { ok: true, message: "Your name is saved." };
  },
  { signInReturnTo: "/settings" },
);

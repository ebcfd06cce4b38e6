import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { LostLeaseError } from "@/lib/connections/custody";
import { transaction } from "@/lib/db";
import { deleteUserRow, markDeletionRequested } from "@/lib/users/queries";
import { userWithSession, withAppDatabase } from "@/test/db";
import { authedAction } from "./action";

const jar = vi.hoisted(() => ({ token: "" }));
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => ({ value: jar.token }) }),
  headers: async () => new Headers(),
}));

withAppDatabase();

async function signedIn() {
  const { user, token } = await userWithSession("a");
  jar.token = token;
  return user;
}

const redirectedTo = (path: string) => ({ digest: expect.stringContaining(`;${path};`) });

describe("an action whose account is deleted while it runs", () => {
  it("ends signed out, not on an error page, when it fails after the deletion began or finished", async () => {
    await signedIn();
    const lost = authedAction(z.object({}), async (_input, { id }) => {
      await markDeletionRequested(id);
      throw new LostLeaseError();
    });
    await expect(lost(undefined, new FormData())).rejects.toMatchObject(
      redirectedTo("/signin?signedOut=all"),
    );

    await signedIn();
    const notFound = authedAction(z.object({}), async (_input, { id }) => {
      await transaction((tx) => deleteUserRow(id, tx));
      return { message: "We couldn't find that bank connection." };
    });
    await expect(notFound(undefined, new FormData())).rejects.toMatchObject(
      redirectedTo("/signin?signedOut=all"),
    );
  });

  it("keeps the error, and the message, while the account stays", async () => {
    await signedIn();
    const failing = authedAction(z.object({}), async () => {
      throw new LostLeaseError();
    });
    await expect(failing(undefined, new FormData())).rejects.toBeInstanceOf(LostLeaseError);
    const refused = authedAction(z.object({}), async () => ({ message: "Nothing was changed." }));
    expect(await refused(undefined, new FormData())).toEqual({ message: "Nothing was changed." });
  });
});

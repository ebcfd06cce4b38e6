import { describe, expect, it, vi } from "vitest";
import { appDb, userWithSession, withAppDatabase } from "@/test/db";
import { deleteAccountAction } from "./delete-account";

const jar = vi.hoisted(() => ({ token: "", set: vi.fn() }));
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => ({ value: jar.token }), set: jar.set }),
  headers: async () => new Headers(),
}));
// The deletion's first step runs for real (the account marked, every device signed out); then a fault.
const deletion = vi.hoisted(() => ({ fail: false }));
vi.mock("../delete-account", async (actual) => {
  const real = await actual<typeof import("../delete-account")>();
  return {
    ...real,
    deleteAccount: async (userId: string) => {
      if (!deletion.fail) return real.deleteAccount(userId);
      await real.beginDeletion(userId);
      throw new Error("connection terminated unexpectedly");
    },
  };
});

withAppDatabase();

async function signedIn() {
  const { user, token } = await userWithSession("del");
  jar.token = token;
  return user;
}

const form = () => {
  const data = new FormData();
  data.set("understood", "on");
  return data;
};
const redirectedTo = (path: string) => ({ digest: expect.stringContaining(`;${path};`) });

describe("deleting my account", () => {
  it("says the deletion will finish, not just 'signed out', when it fails after it began", async () => {
    deletion.fail = true;
    const user = await signedIn();
    await expect(deleteAccountAction(undefined, form())).rejects.toMatchObject(
      redirectedTo("/account-deleted?unfinished=1"),
    );
    const row = await appDb.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.deletionRequestedAt).not.toBeNull();
    expect(await appDb.prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("says it is deleted when every step ran", async () => {
    deletion.fail = false;
    const user = await signedIn();
    await expect(deleteAccountAction(undefined, form())).rejects.toMatchObject(
      redirectedTo("/account-deleted"),
    );
    expect(await appDb.prisma.user.count({ where: { id: user.id } })).toBe(0);
  });
});

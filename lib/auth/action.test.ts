import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

// sessionAction's order of checks, with Next's cookies and redirect replaced: a cookie must be there,
// invalid input is only explained to a live session, and the handler's own lookup decides the rest.

const state = vi.hoisted(() => ({ cookie: undefined as string | undefined, user: null as unknown }));

vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => (state.cookie === undefined ? undefined : { value: state.cookie }) }),
}));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new Error(`redirect ${url}`);
  },
}));
vi.mock("./session-queries", () => ({
  findSessionAndUser: async () =>
    state.user
      ? {
          session: { sessionToken: "t", userId: "u1", expires: new Date(Date.now() + 60_000) },
          user: state.user,
        }
      : null,
}));
vi.mock("./sessions", () => ({ sessionCookieName: () => "next-auth.session-token" }));

const { SIGNED_OUT, sessionAction } = await import("./action");

const Input = z.object({ bank: z.string().min(1, { error: "Choose a bank" }) });
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};
const toSignIn = "redirect /signin?callbackUrl=%2Freconfirm";

describe("sessionAction", () => {
  const handler = vi.fn();
  const action = sessionAction(Input, handler, { signInReturnTo: "/reconfirm" });
  beforeEach(() => {
    handler.mockReset();
    state.cookie = "t";
    state.user = { id: "u1", email: "u1@example.test", name: "U One" };
  });

  it("hands valid input and the cookie's token to the handler, and returns its answer", async () => {
    handler.mockResolvedValue({ message: "done" });
    expect(await action(undefined, form({ bank: "b1" }))).toEqual({ message: "done" });
    expect(handler).toHaveBeenCalledWith({ bank: "b1" }, "t");
  });

  it("sends a visitor without a session cookie to sign in, without running the handler", async () => {
    state.cookie = undefined;
    await expect(action(undefined, form({ bank: "b1" }))).rejects.toThrow(toSignIn);
    state.cookie = "";
    await expect(action(undefined, form({ bank: "b1" }))).rejects.toThrow(toSignIn);
    expect(handler).not.toHaveBeenCalled();
  });

  it("sends the user to sign in when the handler's lookup finds the session ended", async () => {
    handler.mockResolvedValue(SIGNED_OUT);
    await expect(action(undefined, form({ bank: "b1" }))).rejects.toThrow(toSignIn);
  });

  it("explains invalid input only to a live session; anyone else goes to sign in", async () => {
    expect(await action(undefined, form({ bank: "" }))).toEqual({
      errors: { bank: ["Choose a bank"] },
      message: "Please check the highlighted fields.",
    });
    state.user = null;
    await expect(action(undefined, form({ bank: "" }))).rejects.toThrow(toSignIn);
    expect(handler).not.toHaveBeenCalled();
  });
});

import { createRequire } from "node:module";
import path from "node:path";
import type { NextApiRequest, NextApiResponse } from "next";
import NextAuth from "next-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Inbox, startInbox } from "@/inbox/server";
import type { Message } from "@/inbox/store";
import { appDb as db, withAppDatabase } from "@/test/db";
import { authOptions } from "./options";
import { hashVerificationToken, MAX_OUTSTANDING_LINKS, requestSignInLink } from "./sign-in-link";

withAppDatabase();
let inbox: Inbox;

beforeAll(async () => {
  inbox = await startInbox({ smtpPort: 0, httpPort: 0 });
  Object.assign(process.env, { SMTP_URL: `smtp://127.0.0.1:${inbox.smtpPort}` });
});
afterAll(async () => {
  await inbox.close();
});

async function mailTo(address: string): Promise<Message[]> {
  return (await (
    await fetch(`${inbox.url}/api/messages?to=${encodeURIComponent(address)}`, {
      headers: { "x-inbox-token": inbox.apiToken },
    })
  ).json()) as Message[];
}

function confirmLinkIn(message: Message | undefined): URL {
  const match = message?.text.match(/https?:\/\/\S+/);
  if (!match) throw new Error("no link in the mail");
  return new URL(match[0]);
}

/** Drives next-auth's real handler (its API-route form) the way the confirmation form's POST does. */
async function postEmailCallback(query: Record<string, string>) {
  let status = 200;
  const headers = new Map<string, string | string[]>();
  const res = {
    status(code: number) {
      status = code;
      return res;
    },
    setHeader(name: string, value: string | string[]) {
      headers.set(name.toLowerCase(), value);
      return res;
    },
    getHeader: (name: string) => headers.get(name.toLowerCase()),
    end: () => res,
    send: () => res,
    json: () => res,
  };
  const req = {
    method: "POST",
    query: { nextauth: ["callback", "email"], ...query },
    body: {},
    cookies: {},
    headers: {
      host: new URL(process.env.APP_URL ?? "").host,
      "content-type": "application/x-www-form-urlencoded",
    },
  };
  await NextAuth(req as unknown as NextApiRequest, res as unknown as NextApiResponse, authOptions());
  return {
    status,
    location: String(headers.get("location")),
    cookies: [headers.get("set-cookie") ?? []].flat(),
  };
}

describe("sign-in links", () => {
  it("hashes tokens exactly as next-auth 4 does", () => {
    const nextAuthUtils = createRequire(import.meta.url)(
      path.resolve("node_modules/next-auth/core/lib/utils.js"),
    ) as { hashToken(token: string, options: { provider: { secret?: string }; secret: string }): string };
    const secret = process.env.AUTH_SECRET ?? "";
    expect(hashVerificationToken("abc123", secret)).toBe(
      nextAuthUtils.hashToken("abc123", { provider: {}, secret }),
    );
  });

  it("mails a confirmation link that next-auth accepts once, creating the account", async () => {
    const email = "new.person@example.test";
    await requestSignInLink(email, "/settings");

    const [mail] = await mailTo(email);
    expect(mail?.subject).toBe("Your sign-in link for Reconsent");
    const link = confirmLinkIn(mail);
    expect(link.pathname).toBe("/signin/confirm");
    expect(link.searchParams.get("email")).toBe(email);
    expect(link.searchParams.get("callbackUrl")).toBe("/settings");
    const token = link.searchParams.get("token") ?? "";
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const stored = await db.prisma.verificationToken.findFirstOrThrow({ where: { identifier: email } });
    expect(stored.token).not.toBe(token);

    const query = { token, email, callbackUrl: "/settings" };
    const first = await postEmailCallback(query);
    expect(first.status).toBe(302);
    expect(first.location).toBe(
      `/welcome?callbackUrl=${encodeURIComponent(`${process.env.APP_URL}/settings`)}`,
    );
    expect(first.cookies.join(";")).toMatch(/next-auth\.session-token=[^;]+/);
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email }, include: { sessions: true } });
    expect(user.sessions).toHaveLength(1);
    expect(user.emailVerified).not.toBeNull();

    const again = await postEmailCallback(query);
    expect(again.location).toContain("error=Verification");
  });

  it("keeps at most three live links for an address, the newest ones", async () => {
    const email = "busy@example.test";
    for (let i = 0; i <= MAX_OUTSTANDING_LINKS; i++) await requestSignInLink(email, "/connections");
    const mails = await mailTo(email);
    expect(mails).toHaveLength(MAX_OUTSTANDING_LINKS + 1);
    const live = await db.prisma.verificationToken.findMany({ where: { identifier: email } });
    expect(live).toHaveLength(MAX_OUTSTANDING_LINKS);
    const secret = process.env.AUTH_SECRET ?? "";
    const hashes = mails.map((m) =>
      hashVerificationToken(confirmLinkIn(m).searchParams.get("token") ?? "", secret),
    );
    // The inbox lists newest first.
    const newest = mails
      .slice(0, MAX_OUTSTANDING_LINKS)
      .map((m) => hashVerificationToken(confirmLinkIn(m).searchParams.get("token") ?? "", secret));
    expect(hashes).toHaveLength(MAX_OUTSTANDING_LINKS + 1);
    expect(live.map((r) => r.token).sort()).toEqual(newest.sort());
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Inbox, startInbox } from "@/inbox/server";
import type { Message } from "@/inbox/store";
import { setClockOffset } from "@/lib/clock";
import { limitNewAddressMail, limitSignInByDomain, mailboxOf } from "@/lib/security/limits";
import { appDb as db, withAppDatabase } from "@/test/db";
import { EmailAddress } from "./email-address";
import { askForSignInLink } from "./link-request";
import { hashVerificationToken } from "./sign-in-link";

withAppDatabase();
let inbox: Inbox;

beforeAll(async () => {
  inbox = await startInbox({ smtpPort: 0, httpPort: 0 });
  Object.assign(process.env, { SMTP_URL: `smtp://127.0.0.1:${inbox.smtpPort}` });
});
afterAll(async () => {
  setClockOffset(0);
  await inbox.close();
});
beforeEach(async () => {
  await db.prisma.rateLimit.deleteMany();
  await fetch(`${inbox.url}/api/messages`, { method: "DELETE", headers: api() });
});

// The inbox's API answers only with its per-run token (decision 045).
const api = () => ({ "x-inbox-token": inbox.apiToken });

async function mailInInbox(mailbox: string): Promise<Message[]> {
  const all = (await (await fetch(`${inbox.url}/api/messages`, { headers: api() })).json()) as Message[];
  return all.filter((m) => m.to.some((to) => mailboxOf(to.toLowerCase()) === mailbox));
}

const tokenIn = (m: Message) =>
  new URL(m.text.match(/https?:\/\/\S+/)?.[0] ?? "").searchParams.get("token") ?? "";

/** The newest mail for that exact address holds a link next-auth would still accept. */
async function newestLinkWorks(email: string): Promise<boolean> {
  const mine = (await mailInInbox(mailboxOf(email))).filter((m) => m.to.includes(email));
  // The inbox lists newest first.
  const newest = mine[0];
  if (!newest) return false;
  const row = await db.prisma.verificationToken.findUnique({
    where: { token: hashVerificationToken(tokenIn(newest), process.env.AUTH_SECRET ?? "") },
  });
  return !!row && row.expires > new Date();
}

// An attacker's spellings of someone else's address: every one our parser folds into it or that lands in its inbox.
function spellingsOf(local: string, domain: string): string[] {
  const fullwidth = [...local].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join("");
  return [
    `${local}@${domain}`,
    `${local.toUpperCase()}@${domain.toUpperCase()}`,
    `  ${local}@${domain}\t`,
    `${fullwidth}@${domain}`,
    `${local}+x@${domain}`,
    `${local}+${Math.random().toString(36).slice(2)}@${domain}`,
    `${local.slice(0, 2)}.${local.slice(2)}@${domain}`,
    `${local}@${domain}`.normalize("NFD"),
  ].map((raw) => EmailAddress.parse(raw));
}

describe("asking for sign-in links (issue 27 item 3)", () => {
  it("an attacker asking again and again for an address never keeps its owner out", async () => {
    const owner = "jamie.owner@gmail.com";
    await db.prisma.user.create({ data: { email: owner, name: "Jamie Owner" } });
    const spellings = spellingsOf("jamie.owner", "gmail.com");
    for (let round = 0; round < 3; round++) {
      for (const [i, email] of spellings.entries()) {
        // A different network each time: the per-requester budget is not what saves the owner here.
        await askForSignInLink(email, `198.51.100.${round * 20 + i + 1}`, "/connections");
      }
    }
    const mine = await askForSignInLink(owner, "203.0.113.9", "/connections");
    expect(mine.kind === "sent" || mine.kind === "recent").toBe(true);
    expect(await newestLinkWorks(owner)).toBe(true);
  });

  it("past its free links an address gets one link per ten minutes, retiring the older ones", async () => {
    const owner = "paced@example.test";
    await db.prisma.user.create({ data: { email: owner } });
    try {
      const kinds = [];
      for (let i = 0; i < 6; i++) kinds.push((await askForSignInLink(owner, null, "/connections")).kind);
      expect(kinds).toEqual(["sent", "sent", "sent", "sent", "recent", "recent"]);
      expect(await db.prisma.verificationToken.count({ where: { identifier: owner } })).toBe(1);
      expect(await newestLinkWorks(owner)).toBe(true);
      setClockOffset(11 * 60 * 1000);
      expect((await askForSignInLink(owner, null, "/connections")).kind).toBe("sent");
      expect(await newestLinkWorks(owner)).toBe(true);
      expect(await mailInInbox(owner)).toHaveLength(5);
    } finally {
      setClockOffset(0);
    }
  });

  it("made-up spellings of one inbox cannot flood it", async () => {
    const spellings = Array.from({ length: 30 }, (_, i) => `robin+${i}@example.test`);
    const sent = [];
    for (const [i, email] of spellings.entries())
      sent.push(await askForSignInLink(email, `198.51.100.${i}`, "/"));
    expect(sent.filter((o) => o.kind === "sent")).toHaveLength(5);
    expect(await mailInInbox("robin@example.test")).toHaveLength(5);
    // The plain spelling is paced on its own, so the owner can still sign up.
    expect((await askForSignInLink("robin@example.test", "203.0.113.9", "/")).kind).toBe("sent");
  });

  it("one requester spends his own budget before any target's", async () => {
    const outcomes = [];
    for (let i = 0; i < 21; i++)
      outcomes.push(await askForSignInLink(`t${i}@example.test`, "198.51.100.200", "/"));
    expect(outcomes[20]).toMatchObject({ kind: "refused", budget: "network" });
    // The target of the refused request still has its whole budget.
    expect((await askForSignInLink("t20@example.test", "203.0.113.9", "/")).kind).toBe("sent");
  });

  it("a flood at a domain or of new addresses never stops people who have an account", async () => {
    const member = "member@bigcorp.test";
    await db.prisma.user.create({ data: { email: member } });
    for (let i = 0; i < 300; i++) await limitSignInByDomain(`x${i}@bigcorp.test`);
    for (let i = 0; i < 1000; i++) await limitNewAddressMail();
    expect(await askForSignInLink("newcomer@bigcorp.test", null, "/")).toMatchObject({ kind: "refused" });
    expect((await askForSignInLink(member, null, "/")).kind).toBe("sent");
    expect(await newestLinkWorks(member)).toBe(true);
  });
});

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkify, renderList } from "./render";
import { type Inbox, startInbox } from "./server";
import type { Message } from "./store";

let inbox: Inbox;
const dataFile = path.join(mkdtempSync(path.join(tmpdir(), "inbox-test-")), "inbox.json");

beforeAll(async () => {
  inbox = await startInbox({ smtpPort: 0, httpPort: 0, dataFile });
});
afterAll(async () => {
  await inbox.close();
});

async function send(to: string, subject: string, text: string, html?: string) {
  const transport = nodemailer.createTransport(`smtp://127.0.0.1:${inbox.smtpPort}`);
  await transport.sendMail({ from: "App <app@example.test>", to, subject, text, html });
}

const api = () => ({ "x-inbox-token": inbox.apiToken });

async function messagesTo(to: string): Promise<Message[]> {
  const res = await fetch(`${inbox.url}/api/messages?to=${encodeURIComponent(to)}`, { headers: api() });
  expect(res.status).toBe(200);
  return (await res.json()) as Message[];
}

describe("local inbox", () => {
  it("stores mail sent over SMTP and lists it per recipient, newest first", async () => {
    await send("alex@example.test", "First", "Hello https://example.test/a?x=1&y=2");
    await send("Alex@Example.test", "Second", "Again", "<p>Again</p>");
    await send("sam@example.test", "Other", "Not Alex's");

    const messages = await messagesTo("alex@example.test");
    expect(messages.map((m) => m.subject)).toEqual(["Second", "First"]);
    expect(messages[1]).toMatchObject({
      from: '"App" <app@example.test>',
      to: ["alex@example.test"],
      text: expect.stringContaining("https://example.test/a?x=1&y=2"),
      html: null,
    });
    expect(messages[0]?.html).toContain("<p>Again</p>");
    expect(Number.isNaN(Date.parse(messages[0]?.date ?? ""))).toBe(false);
  });

  it("shows the list and each message as HTML, with the HTML part sandboxed", async () => {
    await send(
      "page@example.test",
      "A <b>subject</b>",
      "Go to https://example.test/go?a=1&b=2",
      "<script>x()</script>",
    );
    const list = await fetch(`${inbox.url}/`);
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    expect(listHtml).toContain("A &lt;b&gt;subject&lt;/b&gt;");
    expect(list.headers.get("content-security-policy")).toContain("default-src 'none'");

    const [message] = await messagesTo("page@example.test");
    const page = await (await fetch(`${inbox.url}/messages/${message?.id}`)).text();
    expect(page).toContain('<a href="https://example.test/go?a=1&amp;b=2">');
    expect(page).toContain('<iframe title="HTML version of the message" sandbox srcdoc="&lt;script&gt;');
    expect((await fetch(`${inbox.url}/messages/nope`)).status).toBe(404);
  });

  it("keeps messages in the data file across restarts, and DELETE empties it", async () => {
    await send("keep@example.test", "Kept", "Still here");
    await inbox.close();
    inbox = await startInbox({ smtpPort: 0, httpPort: 0, dataFile });
    expect((await messagesTo("keep@example.test")).map((m) => m.subject)).toEqual(["Kept"]);

    const res = await fetch(`${inbox.url}/api/messages`, { method: "DELETE", headers: api() });
    expect(res.status).toBe(204);
    expect(await messagesTo("keep@example.test")).toEqual([]);
  });
});

describe("linkify", () => {
  it("escapes everything and makes only http(s) URLs links", () => {
    expect(linkify("<i>hi</i> http://a.test/x?y=1&z=2 javascript:alert(1)")).toBe(
      '&lt;i&gt;hi&lt;/i&gt; <a href="http://a.test/x?y=1&amp;z=2">http://a.test/x?y=1&amp;z=2</a> javascript:alert(1)',
    );
  });
});

describe("the inbox page", () => {
  it("says how to get a reminder mail on a fresh demo, with no clock moved (issue 29 item 16)", () => {
    const html = renderList([]);
    expect(html).toContain("<code>npm run reminders</code>");
    expect(html).toContain("mails the demo user at once");
  });
});

import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { reminderEmail } from "@/lib/reminders/email";
import { LAPSED } from "@/lib/reminders/thresholds";
import type { MailBrand } from "./layout";
import { mailBrand } from "./mail-brand";
import { renderMail } from "./render";
import { signInSubject } from "./sign-in-mail";

const budgetly: MailBrand = {
  appName: "Budgetly",
  appUrl: "https://budgetly.example",
  color: "#5b21b6",
  logoUrl: "https://budgetly.example/logo.png",
  supportEmail: "help@budgetly.example",
  privacyUrl: "https://budgetly.example/privacy",
  termsUrl: "https://budgetly.example/terms",
};
const link = "https://budgetly.example/signin/confirm?token=abc&email=a%40b.test";

describe("mail rendering", () => {
  it("builds the sign-in mail in the deployer's brand, as HTML and plain text", async () => {
    const { html, text } = await renderMail("signIn", { brand: budgetly, link });
    expect(signInSubject(budgetly)).toBe("Your sign-in link for Budgetly");
    expect(html).toMatch(/^<!DOCTYPE html/);
    expect(html).toContain(`href="${link.replace("&", "&amp;")}"`);
    expect(html).toContain("background-color:#5b21b6");
    expect(html).toContain('src="https://budgetly.example/logo.png"');
    expect(html).toContain("Sign in to Budgetly");
    for (const url of [budgetly.privacyUrl, budgetly.termsUrl, `mailto:${budgetly.supportEmail}`])
      expect(html).toContain(`href="${url}"`);
    expect(html).not.toContain("Reconsent");
    expect(text).toContain("Sign in to Budgetly");
    expect(text).toContain(`Continue to sign in ${link}`);
    expect(text).toContain("The link works once, for 15 minutes.");
    expect(text).toContain(`Privacy notice ${budgetly.privacyUrl}`);
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it("builds the reminder with one line per bank, escaping names in HTML only", async () => {
    const mail = await reminderEmail(
      {
        threshold: 7,
        items: [
          { providerName: "Barclays <UK> & Co", consentExpiresAt: new Date("2027-01-05T12:00:00Z") },
          { providerName: "Monzo", consentExpiresAt: new Date("2027-01-03T12:00:00Z") },
        ],
        reconfirmUrl: "https://budgetly.example/reconfirm?src=reminder",
        unsubscribeUrl: "https://budgetly.example/unsubscribe?token=t1",
      },
      budgetly,
    );
    expect(mail.subject).toBe("Keep your 2 bank connections: reconfirm by 3 January 2027");
    expect(mail.text).toContain(
      "- Sharing from Monzo: renew by 3 January 2027\n- Sharing from Barclays <UK> & Co: renew by 5 January 2027",
    );
    expect(mail.text).toContain("that Budgetly may keep seeing your bank data");
    expect(mail.text).toContain("Reconfirm now https://budgetly.example/reconfirm?src=reminder");
    expect(mail.text).toContain("Stop these reminder emails https://budgetly.example/unsubscribe?token=t1");
    expect(mail.text).toContain("share bank data through Budgetly");
    expect(mail.html).toContain("Sharing from Barclays &lt;UK&gt; &amp; Co: renew by 5 January 2027</li>");
    expect(mail.html).not.toContain("<UK>");
    expect(mail.html).toContain('href="https://budgetly.example/unsubscribe?token=t1"');
  });

  it("fills each mail of a shape with its own values", async () => {
    const one = (bank: string, token: string) =>
      reminderEmail(
        {
          threshold: LAPSED,
          items: [{ providerName: bank, consentExpiresAt: new Date("2027-01-03T12:00:00Z") }],
          reconfirmUrl: "https://budgetly.example/reconfirm",
          unsubscribeUrl: `https://budgetly.example/unsubscribe?token=${token}`,
        },
        budgetly,
      );
    const [a, b] = await Promise.all([one("NatWest", "ta"), one("Lloyds", "tb")]);
    expect(a.text).toContain("Sharing from NatWest: paused since 3 January 2027");
    expect(a.text).toContain("token=ta");
    expect(a.text).not.toContain("Lloyds");
    expect(b.html).toContain("Sharing from Lloyds: paused since");
    expect(b.html).toContain("token=tb");
    expect(b.html).not.toContain("NatWest");
  });

  it("uses the demo brand when the environment sets none", async () => {
    const brand = mailBrand();
    expect(brand).toMatchObject({ appName: "Reconsent", privacyUrl: "http://127.0.0.1:3999/privacy" });
    const { html } = await renderMail("signIn", { brand, link });
    expect(html).toContain("Sign in to Reconsent");
    expect(html).toContain("background-color:#185a44");
  });

  it("renders the same under --conditions=react-server, as the scripts run", async () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const script = `import("./lib/email/render.ts").then(async (m) => {
      const mail = await m.renderMail("signIn", ${JSON.stringify({ brand: budgetly, link })});
      process.stdout.write(JSON.stringify(mail));
      process.exit(0);
    })`;
    const run = spawnSync(
      process.execPath,
      [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "-e", script],
      { cwd: root, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
    );
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual(await renderMail("signIn", { brand: budgetly, link }));
  }, 30_000);
});

// The core journeys in the browser under both simulator profiles (issue 16). Under truelayer-sandbox the
// answers name the bank "Mock", the extend return carries no state, /me lags and tokens do not rotate.
import type { Page } from "@playwright/test";
import { connectionsOf } from "./connect-flow";
import { appSandbox, expect, test } from "./fixtures";
import { connectionRow, eventsOf, seedLiveConnection } from "./reconfirm-fixtures";

const PROFILES = [
  { profile: "strict", bank: "Mock UK Bank" },
  { profile: "truelayer-sandbox", bank: "Mock" },
] as const;

const heading = (page: Page) => page.getByRole("heading", { level: 1 });

for (const { profile, bank } of PROFILES) {
  test.describe(`under the ${profile} profile`, () => {
    test.beforeEach(() => appSandbox().controls.setProfile(profile, {}));
    // Every other spec runs under the e2e stack's default, strict.
    test.afterEach(() => appSandbox().controls.setProfile("strict", {}));

    test("connect, renew without the bank, stop sharing, renew through the bank", async ({
      page,
      signedIn,
    }) => {
      await page.goto("/connections");
      await page.getByRole("button", { name: "Connect a bank" }).first().click();
      await page.getByRole("button", { name: bank, exact: true }).click();
      await page.getByLabel("Username").fill("john");
      await page.getByLabel("Password").fill("eternal");
      await page.getByRole("button", { name: "Log in and allow access" }).click();
      await expect(heading(page)).toHaveText(`${bank} is connected.`);
      const [connected] = await connectionsOf(signedIn.id);
      if (!connected) throw new Error("no connection stored");

      await page.goto(`/reconfirm?connection=${connected.id}`);
      await page.getByRole("button", { name: "Yes, keep sharing" }).click();
      await expect(heading(page)).toHaveText(new RegExp(`^${bank}: sharing continues until`));
      expect(await eventsOf(connected.id)).toEqual(["EXTENDED"]);

      await page.goto("/connections");
      await page
        .getByRole("link", { name: /stop sharing/i })
        .first()
        .click();
      await page.getByRole("button", { name: "Stop sharing" }).click();
      await expect(page.getByRole("status")).toContainText(`You've stopped sharing data from ${bank}.`);
      expect((await connectionRow(connected.id)).status).toBe("REVOKED");

      const doe = await seedLiveConnection(signedIn.id, { password: "doe" });
      const before = await connectionRow(doe.id);
      await page.goto(`/reconfirm?connection=${doe.id}`);
      await page.getByRole("button", { name: "Yes, keep sharing" }).click();
      await expect(page).toHaveURL(/\/_bank\/reauth\//);
      await page.getByLabel("Password").fill("doe");
      await page.getByRole("button", { name: "Approve" }).click();
      await expect(page).toHaveURL(/\/reconfirm\/progress\?exchange=/);
      await expect(heading(page)).toHaveText(new RegExp(`^${bank}: sharing continues until`));
      const after = await connectionRow(doe.id);
      expect(after.status).toBe("ACTIVE");
      // Never backwards, and not the date a lagging /me still shows.
      expect(after.consentExpiresAt.getTime()).toBeGreaterThan(before.consentExpiresAt.getTime());
    });
  });
}

import { appSandbox, expect, moveClocks, sql, test } from "./fixtures";
import { connectionRow, eventsOf, seedLiveConnection } from "./reconfirm-fixtures";

// Under truelayer-sandbox /me names the mock bank `mock`, which is no auth-link provider_id: the app must ask
// for `uk-cs-mock` (../shared/truelayer-api.md §11), or the dialog refuses the link.
const PROFILES = [
  { profile: "strict", bank: "Mock UK Bank" },
  { profile: "truelayer-sandbox", bank: "Mock" },
] as const;

for (const { profile, bank } of PROFILES) {
  test.describe(`under the ${profile} profile`, () => {
    test.beforeEach(() => appSandbox().controls.setProfile(profile, {}));
    test.afterEach(() => appSandbox().controls.setProfile("strict", {}));

    test("a dead refresh token: connecting again through TrueLayer's dialog replaces the connection instead of adding one", async ({
      page,
      signedIn,
    }) => {
      const { id } = await seedLiveConnection(signedIn.id, { password: "eternal" });
      const before = await connectionRow(id);
      await moveClocks(80);
      await page.goto("/reconfirm");
      await page.getByRole("button", { name: "Yes, keep sharing" }).click();
      await page.getByRole("button", { name: `Connect ${bank} again` }).click();
      // The bank is preselected: the dialog goes straight to the login.
      await page.getByLabel("Username").fill("john");
      await page.getByLabel("Password").fill("eternal");
      await page.getByRole("button", { name: "Log in and allow access" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${bank} is connected again.`);

      const rows = await sql<{ id: string }>(`select id from "Connection" where "userId" = $1`, [
        signedIn.id,
      ]);
      expect(rows.map((r) => r.id)).toEqual([id]);
      const after = await connectionRow(id);
      expect(after.status).toBe("ACTIVE");
      expect(after.refreshTokenSealed).not.toBe(before.refreshTokenSealed);
      expect(await eventsOf(id)).toEqual(["FAILED", "RECONNECTED"]);
    });
  });
}

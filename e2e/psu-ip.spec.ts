import { connectInBrowser } from "./connect-flow";
import { appSandbox, expect, test } from "./fixtures";

// Behind the stack's one trusted proxy hop (TRUSTED_PROXY_HOPS=1), the address that proxy reports is what the app
// sends TrueLayer as X-PSU-IP on each data call made while the user is there (issue 27 item 4).
test("the address the proxy reports reaches TrueLayer as X-PSU-IP while the user is present", async ({
  page,
  signedIn: _,
  extraHTTPHeaders,
}) => {
  const network = extraHTTPHeaders?.["x-forwarded-for"];
  expect(network).toMatch(/^198\.18\.\d+\.\d+$/);
  const since = new Date().toISOString();
  await connectInBrowser(page);
  await expect
    .poll(async () => {
      const calls = await appSandbox().controls.calls();
      return calls.filter((c) => c.time >= since && c.path.startsWith("/data/v1/")).map((c) => c.psuIp);
    })
    .toContain(network);
  const data = (await appSandbox().controls.calls()).filter(
    (c) => c.time >= since && c.path.startsWith("/data/v1/"),
  );
  expect(data.length).toBeGreaterThan(0);
  for (const call of data) expect(call.psuIp, `${call.method} ${call.path}`).toBe(network);
});

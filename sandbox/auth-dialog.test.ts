import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "./server";
import { authLink, location, newClient, openLink, postForm, type TestClient } from "./test-support";

let sandbox: Sandbox;
let base: string;
let client: TestClient;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, dataFile: null });
  base = sandbox.url;
});
afterAll(() => sandbox.close());

beforeEach(async () => {
  client = await newClient(base);
});

async function expectErrorPage(link: string, text: RegExp) {
  const res = await fetch(link, { redirect: "manual" });
  expect(res.status).toBe(400);
  expect(res.headers.get("location")).toBeNull();
  expect(await res.text()).toMatch(text);
}

describe("auth dialog", () => {
  it("lets the user choose a bank, log in and return with a code and state", async () => {
    const link = authLink(base, client, { state: "abc123" });
    const dialog = await openLink(link);
    const choose = await fetch(`${base}${dialog}`);
    const chooseHtml = await choose.text();
    expect(choose.status).toBe(200);
    expect(chooseHtml).toContain("Choose your bank");
    expect(chooseHtml).toContain("Mock UK Bank");
    expect(chooseHtml).toContain("Harbour Building Society");
    expect(chooseHtml).toContain("Kestrel Bank");
    expect(chooseHtml).toContain("Your account balances");

    const picked = await postForm(base, `${dialog}/provider`, { provider_id: "uk-cs-mock" });
    expect(picked.status).toBe(303);
    const login = await (await fetch(`${base}${location(picked).pathname}`)).text();
    expect(login).toContain("Log in to Mock UK Bank");
    expect(login).toMatch(/<label for="username">Username<\/label>/);

    const done = await postForm(base, `${dialog}/login`, { username: "john", password: "doe" });
    expect(done.status).toBe(302);
    const back = location(done);
    expect(`${back.origin}${back.pathname}`).toBe(client.redirectUri);
    expect(back.searchParams.get("code")).toMatch(/^sbx_code_/);
    expect(back.searchParams.get("state")).toBe("abc123");
  });

  it("skips bank selection when provider_id is given", async () => {
    const dialog = await openLink(authLink(base, client, { provider_id: "uk-ob-mock-harbour" }));
    const html = await (await fetch(`${base}${dialog}`)).text();
    expect(html).toContain("Log in to Harbour Building Society");
  });

  it("leaves out banks named in disable_providers", async () => {
    const dialog = await openLink(authLink(base, client, { disable_providers: "uk-ob-mock-harbour" }));
    const html = await (await fetch(`${base}${dialog}`)).text();
    expect(html).toContain("Mock UK Bank");
    expect(html).not.toContain("Harbour Building Society");
  });

  it("works each link only once", async () => {
    const link = authLink(base, client);
    await openLink(link);
    await expectErrorPage(link, /already been used/);
  });

  it("shows a 400 page and never redirects for bad links", async () => {
    await expectErrorPage(authLink(base, { ...client, clientId: "nope" }), /Unknown client/);
    await expectErrorPage(authLink(base, { ...client, redirectUri: "https://evil.example/cb" }), /redirect/i);
    await expectErrorPage(authLink(base, client, { response_type: "token" }), /response_type/);
    await expectErrorPage(authLink(base, client, { scope: "accounts everything" }), /scope/);
    await expectErrorPage(authLink(base, client, { scope: "" }), /scope/);
    await expectErrorPage(authLink(base, client, { providers: "xx-unknown" }), /No banks/);
    await expectErrorPage(
      authLink(base, client, { providers: "uk-cs-mock", provider_id: "uk-oauth-mock-kestrel" }),
      /provider/,
    );
    await expectErrorPage(
      authLink(base, client, { code_challenge: "x".repeat(43), code_challenge_method: "plain" }),
      /PKCE/,
    );
    await expectErrorPage(authLink(base, client, { response_mode: "fragment" }), /response_mode/);
  });

  it("cancel redirects with error=access_denied and the state", async () => {
    const dialog = await openLink(authLink(base, client, { state: "s1" }));
    const res = await postForm(base, `${dialog}/cancel`, {});
    expect(res.status).toBe(302);
    const back = location(res);
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe("s1");
    expect(back.searchParams.get("code")).toBeNull();
  });

  it("shows an error for a wrong password and lets the user try again", async () => {
    const dialog = await openLink(authLink(base, client, { provider_id: "uk-cs-mock" }));
    const wrong = await postForm(base, `${dialog}/login`, { username: "john", password: "nope" });
    expect(wrong.status).toBe(200);
    expect(wrong.headers.get("location")).toBeNull();
    const html = await wrong.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain("incorrect");
    const right = await postForm(base, `${dialog}/login`, { username: "john", password: "eternal" });
    expect(right.status).toBe(302);
  });

  it("refuses to reuse a finished dialog", async () => {
    const dialog = await openLink(authLink(base, client, { provider_id: "uk-cs-mock" }));
    expect((await postForm(base, `${dialog}/login`, { username: "john", password: "doe" })).status).toBe(302);
    const again = await postForm(base, `${dialog}/login`, { username: "john", password: "doe" });
    expect(again.status).toBe(400);
    expect(again.headers.get("location")).toBeNull();
  });

  it("supports response_mode=form_post with an auto-submitting form", async () => {
    const dialog = await openLink(
      authLink(base, client, { provider_id: "uk-cs-mock", response_mode: "form_post" }),
    );
    const res = await postForm(base, `${dialog}/login`, { username: "john", password: "doe" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`action="${client.redirectUri}"`);
    expect(html).toMatch(/name="code" value="sbx_code_/);
  });

  it("serves a landing page and the bank logos", async () => {
    expect((await fetch(`${base}/`)).status).toBe(200);
    const logo = await fetch(`${base}/_sandbox/logos/uk-cs-mock.svg`);
    expect(logo.headers.get("content-type")).toBe("image/svg+xml");
    expect(await logo.text()).toContain("<svg");
  });
});

// Issue 16: what the real TrueLayer may send, under the simulator's `truelayer-sandbox` profile (no
// rotation, invalid_client as a 400, `mock` in answers, no `state` on the extend return, /me lagging an
// hour). Each block names the public source in sandbox/README.md; each fails on the client before it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { approveBankReauth, setSeededFingerprints } from "@/kit";
import { now } from "@/lib/clock";
import type { ProfileOptions } from "@/sandbox/profiles";
import { createTestConnection, newTrip, newUser, reconfirmOne, returnToApp } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { handleCallback } from "./bank-return/callback";
import { startConnect } from "./connect/start";
import { openSecret } from "./sealed-tokens";

const suite = integrationSuite({ profile: "truelayer-sandbox" });
const DAY_MS = 24 * 60 * 60 * 1000;
afterEach(async () => {
  vi.restoreAllMocks();
  await suite.it.sandbox.controls.setProfile("truelayer-sandbox", {});
});

const withOptions = (options: ProfileOptions) =>
  suite.it.sandbox.controls.setProfile("truelayer-sandbox", options);

const stored = (id: string) =>
  suite.prisma.connection.findUniqueOrThrow({ where: { id }, include: { accounts: true } });

/** A john/doe connection sent to the bank by reconfirming; returns the bank's page for it. */
async function sentToBank(options: { tripHash?: string } = {}) {
  const user = await newUser(suite.prisma);
  const connection = await createTestConnection(suite.it, user.id, "doe");
  const result = await reconfirmOne(user.id, connection.id, options.tripHash);
  if (result.kind !== "finished" || !result.firstLink) throw new Error("expected a bank trip");
  return { user, connection, link: result.firstLink, reconfirmationId: result.reconfirmationId };
}

describe("the bank return after extend, in each shape the sources allow", () => {
  it("a plain `code` with no state (the sandbox echoes none) finishes the renewal for its owner", async () => {
    const { user, connection, link } = await sentToBank();
    const back = await approveBankReauth(link);
    expect(back.state).toBeUndefined();
    const path = await returnToApp(back, user.id);
    expect(path).toMatch(/^\/reconfirm\/progress\?exchange=/);
    expect((await stored(connection.id)).status).toBe("ACTIVE");
  });

  it("an `exchange_code` (TrueLayer's extensions page) is taken as the code", async () => {
    await withOptions({ bankReturn: { codeParam: "exchange_code" } });
    const { user, connection, link } = await sentToBank();
    const back = await approveBankReauth(link);
    expect(Object.keys(back.params)).toContain("exchange_code");
    expect(Object.keys(back.params)).not.toContain("code");
    expect(await returnToApp(back, user.id)).toMatch(/^\/reconfirm\/progress\?exchange=/);
    const after = await stored(connection.id);
    expect(after.consentExpiresAt.getTime()).toBeGreaterThan(connection.consentExpiresAt.getTime());
  });

  it("a form_post return is recorded, then finished on our GET", async () => {
    await withOptions({ bankReturn: { responseMode: "form_post" } });
    const { user, connection, link } = await sentToBank();
    const back = await approveBankReauth(link);
    expect(back.method).toBe("POST");
    expect(await returnToApp(back, user.id)).toMatch(/^\/reconfirm\/progress\?exchange=/);
    expect((await stored(connection.id)).consentExpiresAt.getTime()).toBeGreaterThan(
      connection.consentExpiresAt.getTime(),
    );
  });

  it.each([
    ["server_error", "/connections/problem?reason=bank_error&from=reconfirm"],
    ["temporarily_unavailable", "/connections/problem?reason=bank_error&from=reconfirm"],
    ["access_denied", "/connections/cancelled?from=reconfirm&connection="],
    ["user_cancelled", "/connections/cancelled?from=reconfirm&connection="],
  ])("an error=%s return maps to our own words and leaves the grant as it was", async (error, path) => {
    const trip = newTrip();
    const { user, connection } = await sentToBank({ tripHash: trip.hash });
    const before = await stored(connection.id);
    const shown = await returnToApp(
      {
        code: "",
        state: undefined,
        callbackUrl: "",
        method: "GET",
        params: { error, error_description: "<b>Bank says</b> call 0800 000", tl_provider: "x" },
      },
      user.id,
      { tripHashes: [trip.hash] },
    );
    const cancelled = path.endsWith("connection=");
    expect(shown).toBe(cancelled ? `${path}${connection.id}` : path);
    expect(shown).not.toMatch(/Bank|0800|tl_/);
    const after = await stored(connection.id);
    const grant = (c: typeof after) => [
      c.accessTokenSealed,
      c.refreshTokenSealed,
      c.consentExpiresAt,
      c.status,
    ];
    expect(grant(after)).toEqual(grant(before));
    const events = await suite.prisma.connectionEvent.findMany({ where: { connectionId: connection.id } });
    expect(events.at(-1)?.type).toBe(cancelled ? "CANCELLED_AT_BANK" : "SENT_TO_BANK");
    expect(after.tripSentAt === null).toBe(cancelled);
  });

  it("a bare cancel sent to the owner's signed-in browser from elsewhere (no trip cookie) records nothing", async () => {
    const { user, connection } = await sentToBank({ tripHash: newTrip().hash });
    const events = () => suite.prisma.connectionEvent.count({ where: { connectionId: connection.id } });
    const before = { row: await stored(connection.id), events: await events() };
    for (const context of [{}, { tripHashes: [] }, { tripHashes: [newTrip().hash] }]) {
      const shown = await handleCallback({ error: "access_denied" }, user.id, context);
      expect(shown).toBe("/connections/cancelled?from=reconfirm");
    }
    expect(await events()).toBe(before.events);
    expect((await stored(connection.id)).tripSentAt).toEqual(before.row.tripSentAt);
  });
});

describe("/me may lag after a renewal", () => {
  it("stores the later of /me's date and 90 days from the return, never an earlier one", async () => {
    const { user, connection, link } = await sentToBank();
    const back = await approveBankReauth(link);
    const [sim] = (await suite.it.sandbox.controls.connections()).filter(
      (c) => c.credentials_id === connection.credentialsId,
    );
    expect(sim?.me_lag).toBeNull();
    const returnedAt = now();
    await returnToApp(back, user.id);
    const lagging = (await suite.it.sandbox.controls.connections()).find(
      (c) => c.credentials_id === connection.credentialsId,
    );
    // The simulator's /me still shows the old expiry; ours must not follow it.
    expect(lagging?.me_lag?.shown_expires_at).toBeDefined();
    const after = await stored(connection.id);
    expect(after.consentExpiresAt.getTime()).toBeGreaterThanOrEqual(
      returnedAt.getTime() + 90 * DAY_MS - 1000,
    );
    expect(after.consentExpiresAt.getTime()).toBeGreaterThan(connection.consentExpiresAt.getTime());
  });
});

describe("a new identity on re-authentication", () => {
  it("a vouched return with a new credentials_id and account ids updates its own connection", async () => {
    await withOptions({ newCredentialsIdOnReauth: true, newAccountIdsOnReauth: true });
    const trip = newTrip();
    const { user, connection, link } = await sentToBank({ tripHash: trip.hash });
    const before = await stored(connection.id);
    const back = await approveBankReauth(link);
    const path = await returnToApp(back, null, { tripHashes: [trip.hash] });
    expect(path).toMatch(/^\/reconfirm\/progress\?exchange=/);
    const after = await stored(connection.id);
    expect(after.credentialsId).not.toBe(before.credentialsId);
    expect(after.accounts.map((a) => a.truelayerAccountId).sort()).not.toEqual(
      before.accounts.map((a) => a.truelayerAccountId).sort(),
    );
    expect(before.accounts.every((a) => /^[0-9a-f]{64}$/.test(a.fingerprint ?? ""))).toBe(true);
    expect(after.accounts.map((a) => a.fingerprint).sort()).toEqual(
      before.accounts.map((a) => a.fingerprint).sort(),
    );
    expect(await suite.prisma.connection.count({ where: { userId: user.id } })).toBe(1);
  });

  it("an unvouched return with a new identity is kept for its owner's sign-in, never exchanged or attached by guess", async () => {
    await withOptions({ newCredentialsIdOnReauth: true, newAccountIdsOnReauth: true });
    const { connection, link } = await sentToBank({ tripHash: newTrip().hash });
    const before = await stored(connection.id);
    const back = await approveBankReauth(link);
    const kept: unknown[] = [];
    const path = await returnToApp(back, null, {
      tripHashes: [newTrip().hash],
      keep: async (params) => {
        kept.push(params);
      },
    });
    expect(path).toBe("/connections/returned");
    expect(kept).toHaveLength(1);
    const after = await stored(connection.id);
    expect(after.credentialsId).toBe(before.credentialsId);
    expect(after.consentExpiresAt).toEqual(before.consentExpiresAt);
  });

  it("a vouched return from other accounts at the same bank is refused, never attached or offered", async () => {
    await withOptions({ newCredentialsIdOnReauth: true, newAccountIdsOnReauth: true });
    const trip = newTrip();
    const { connection, link } = await sentToBank({ tripHash: trip.hash });
    // As if this connection held other accounts: same ids and names, other numbers.
    await setSeededFingerprints(connection.id, "other-");
    const back = await approveBankReauth(link);
    const path = await returnToApp(back, null, { tripHashes: [trip.hash] });
    expect(path).toMatch(/^\/reconfirm\/progress\?exchange=/);
    expect(await suite.prisma.parkedReturn.count()).toBe(0);
    expect((await stored(connection.id)).credentialsId).toBe(connection.credentialsId);
  });
});

describe("answers that carry less", () => {
  it("an account without display_name keeps a clear fallback name; one without account_id is left out", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "sparse");
    const { accounts, status } = await stored(connection.id);
    expect(status).toBe("ACTIVE");
    expect(accounts).toHaveLength(2);
    const names = accounts.map((a) => a.displayName);
    expect(names.every((name) => name.length > 0)).toBe(true);
    // The sparse saver has a description but no display_name: the description names it.
    expect(names.some((name) => /Instant|Saver|for John Sparse/.test(name))).toBe(true);
    expect(warn.mock.calls.some(([line]) => /without an account_id/.test(String(line)))).toBe(true);
    expect(
      (await suite.it.sandbox.controls.connections()).find(
        (c) => c.credentials_id === connection.credentialsId,
      )?.status,
    ).toBe("active");
  });
});

describe("errors sorted as TrueLayer sends them", () => {
  it("invalid_client on extend keeps the token, reports a failed renewal, alerts the operator; a later try works", async () => {
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "eternal");
    await withOptions({ flakyClientAuth: 1 });
    const first = await reconfirmOne(user.id, connection.id);
    expect(first.kind === "finished" && first.outcomes[0]?.outcome).toMatchObject({
      kind: "failed",
      reason: "client_rejected",
    });
    const after = await stored(connection.id);
    expect(after.refreshTokenSealed && openSecret(after.refreshTokenSealed)).toBe(
      connection.refreshTokenSealed && openSecret(connection.refreshTokenSealed),
    );
    expect(after.status).toBe("ACTIVE");
    expect(await suite.prisma.operatorAlert.count({ where: { kind: "credentials_refused" } })).toBe(1);
    const second = await reconfirmOne(user.id, connection.id);
    expect(second.kind === "finished" && second.outcomes[0]?.outcome.kind).toBe("extended");
  });

  it("an unreviewed screen sent as a validation error on user_has_reconfirmed_consent says renewal is not available yet", async () => {
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "eternal");
    const client = {
      clientSecret: suite.it.clientSecret,
      redirectUris: [suite.it.redirectUri],
      profile: "truelayer-sandbox" as const,
    };
    await suite.it.sandbox.controls.register({ ...client, consentScreenReviewed: false });
    try {
      const result = await reconfirmOne(user.id, connection.id);
      expect(result.kind === "finished" && result.outcomes[0]?.outcome).toMatchObject({
        kind: "failed",
        reason: "consent_screen_not_reviewed",
      });
      expect((await stored(connection.id)).refreshTokenSealed).toBe(connection.refreshTokenSealed);
    } finally {
      await suite.it.sandbox.controls.register({ ...client, consentScreenReviewed: true });
    }
  });
});

describe("request insurance", () => {
  it("the auth link carries no response_mode (TrueLayer's client sends it only when asked)", async () => {
    const user = await newUser(suite.prisma);
    const started = await startConnect(user.id);
    if (!started.ok) throw new Error("startConnect refused");
    expect(new URL(started.link).searchParams.has("response_mode")).toBe(false);
  });

  it("extend's user.id is the opaque per-user id, not our database id", async () => {
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "eternal");
    await reconfirmOne(user.id, connection.id);
    const calls = await suite.it.sandbox.controls.calls();
    const extend = calls.filter((c) => c.path.endsWith("/connections/extend")).at(-1);
    const sent = (extend?.body as { user?: { id?: string } } | undefined)?.user?.id;
    const { truelayerUserId } = await suite.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(sent).toBe(truelayerUserId);
    expect(sent).not.toBe(user.id);
  });
});

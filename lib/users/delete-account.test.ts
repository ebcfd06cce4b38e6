import type { PrismaClient } from "@prisma/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TestMailbox } from "@/inbox/test-mailbox";
import { sandboxControls } from "@/kit";
import { brand } from "@/lib/brand";
import { setClockOffset } from "@/lib/clock";
import { openSecret } from "@/lib/connections/sealed-tokens";
import { truelayer } from "@/lib/connections/truelayer-client";
import { consentSubject } from "@/lib/consent/subject";
import { WORDING_VERSION } from "@/lib/consent/wording";
import { createTestConnection, createTestUser, reconfirmOne } from "@/test/flows";
import { type Integration, startIntegration } from "@/test/integration";

const mailbox = new TestMailbox();
let it_: Integration;
let prisma: PrismaClient;
let lib: typeof import("./delete-account") & typeof import("@/lib/connections/custody");

beforeAll(async () => {
  await mailbox.start();
  it_ = await startIntegration();
  prisma = it_.prisma;
  process.env.SMTP_URL = mailbox.url;
  lib = { ...(await import("./delete-account")), ...(await import("@/lib/connections/custody")) };
});
afterAll(async () => {
  await it_.close();
  await mailbox.stop();
});
afterEach(() => {
  setClockOffset(0);
  mailbox.clear();
});

const controls = () => sandboxControls(it_.sandboxUrl, it_.clientId);
const simulated = async (credentialsId: string | null) =>
  (await controls().connections()).find((c) => c.credentials_id === credentialsId)?.status;

async function reconfirmedUser() {
  const user = await createTestUser("Ada Lovelace");
  const connection = await createTestConnection(it_, user.id, "eternal");
  const result = await reconfirmOne(user.id, connection.id);
  if (result.kind !== "finished") throw new Error(`reconfirm: ${result.kind}`);
  await prisma.session.create({
    data: { userId: user.id, sessionToken: `s-${user.id}`, expires: new Date(Date.now() + 86_400_000) },
  });
  await prisma.verificationToken.create({
    data: { identifier: user.email ?? "", token: `v-${user.id}`, expires: new Date(Date.now() + 600_000) },
  });
  return { user, connection, reconfirmationId: result.reconfirmationId };
}

/** Every row anywhere that still names the user, by id, email or name. */
async function tracesOf(user: { id: string; email: string | null; name: string | null }) {
  const tables = await prisma.$queryRaw<{ table_name: string }[]>`
    SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
  const found: string[] = [];
  for (const { table_name } of tables) {
    const rows = await prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${table_name}"`);
    const text = JSON.stringify(rows);
    for (const needle of [user.id, user.email ?? "-", user.name ?? "-"]) {
      if (text.includes(needle)) found.push(`${table_name}: ${needle === user.id ? "id" : needle}`);
    }
  }
  return found;
}

async function expectOnlyPseudonymisedRecord(
  user: { id: string; email: string | null; name: string | null },
  reconfirmationId: string,
  connection: { id: string; providerName: string },
) {
  expect(await tracesOf(user)).toEqual([]);
  const record = await prisma.reconfirmation.findUniqueOrThrow({
    where: { id: reconfirmationId },
    include: { items: true, outcomes: true, owner: true },
  });
  expect(record.owner).toBeNull();
  expect(record.subject).toBe(consentSubject(user.email ?? ""));
  expect(record.wordingVersion).toBe(WORDING_VERSION);
  expect(record.copyHash).toMatch(/^[0-9a-f]{64}$/);
  expect(record.items.map((i) => [i.connectionId, i.providerName])).toEqual([
    [connection.id, connection.providerName],
  ]);
  expect(record.items[0]?.scopes.length).toBeGreaterThan(0);
  expect(record.outcomes.map((o) => o.type)).toEqual(["EXTENDED"]);
  expect(JSON.stringify(record.parameters)).not.toMatch(/•••• |Current account/);
}

describe("delete my account", () => {
  it("deletes a user who has reconfirmed: revoked at TrueLayer, everything personal gone, the record pseudonymised", async () => {
    const { user, connection, reconfirmationId } = await reconfirmedUser();
    expect(await lib.deleteAccount(user.id)).toEqual({ status: "deleted", pending: [] });

    expect(await simulated(connection.credentialsId)).toBe("revoked");
    expect(await prisma.pendingRevoke.count()).toBe(0);
    await expectOnlyPseudonymisedRecord(user, reconfirmationId, connection);
    const [mail] = mailbox.messages;
    expect(mail?.to).toEqual([user.email]);
    expect(mail?.subject).toBe("Your Reconsent account has been deleted");
    expect(mail?.text).toContain("Sharing from every bank has stopped");
    // Sent from a no-reply address: it names where to write instead (issue 29 item 15).
    expect(mail?.text).not.toMatch(/reply to this email/i);
    expect(mail?.text).toContain(`If you did not ask for this, email ${brand().supportEmail}.`);
    expect(mail?.html).toContain(`href="mailto:${brand().supportEmail}"`);
    expect(await lib.deleteAccount(user.id)).toEqual({ status: "already_deleted" });
  });

  const none = { revoked: 0, gone: 0, goneUnsettled: 0, lost: 0, forgotten: 0, postponed: 0 };

  it("queues a connection TrueLayer refuses to revoke, keeps only its tokens, and retries it until done", async () => {
    const user = await createTestUser("Grace Hopper");
    const both = [
      await createTestConnection(it_, user.id, "eternal"),
      await createTestConnection(it_, user.id, "eternal"),
    ];
    await controls().injectFault({ endpoint: "delete", kind: "503" });

    const result = await lib.deleteAccount(user.id);
    expect(result).toEqual({ status: "deleted", pending: ["Mock UK Bank"] });
    expect(mailbox.messages[0]?.text).toContain("- Mock UK Bank");
    const statuses = await Promise.all(both.map((c) => simulated(c.credentialsId)));
    expect(statuses.sort()).toEqual(["active", "revoked"]);
    const refused = both[statuses.indexOf("active")] ?? both[0];
    const [queued] = await prisma.pendingRevoke.findMany();
    expect(queued).toMatchObject({ providerName: "Mock UK Bank", attempts: 0 });
    expect(queued?.refreshTokenSealed).toMatch(/^v1\.k1\./);
    expect(await tracesOf(user)).toEqual([]);

    // TrueLayer is down at the first retry as well: postponed, tokens still kept.
    await controls().injectFault({ endpoint: "delete", kind: "503" });
    expect(await lib.drainRevokeQueue()).toEqual({ ...none, postponed: 1 });
    expect(await prisma.pendingRevoke.findFirstOrThrow()).toMatchObject({
      attempts: 1,
      lastError: "unreachable",
    });
    expect(await lib.drainRevokeQueue()).toEqual(none);

    // Later (the access token has expired by then, so it is refreshed first): revoked, and the tokens go.
    setClockOffset(3 * 60 * 60 * 1000);
    await it_.sandbox.controls.advanceClock(3 / 24);
    expect(await lib.drainRevokeQueue()).toEqual({ ...none, revoked: 1 });
    expect(await simulated(refused?.credentialsId ?? null)).toBe("revoked");
    expect(await prisma.pendingRevoke.count()).toBe(0);
  });

  it("gives a queued revoke up once the refresh token is dead", async () => {
    const user = await createTestUser("Alan Turing");
    const connection = await createTestConnection(it_, user.id, "eternal");
    await controls().injectFault({ endpoint: "delete", kind: "503" });
    await lib.deleteAccount(user.id);
    // Ended at TrueLayer meanwhile (the user stopped it at the bank), so its refresh token is refused.
    await truelayer().deleteConnection(openSecret(connection.accessTokenSealed ?? ""));
    setClockOffset(3 * 60 * 60 * 1000);
    await it_.sandbox.controls.advanceClock(3 / 24);
    const callsBefore = (await controls().calls()).length;
    expect(await lib.drainRevokeQueue()).toEqual({ ...none, gone: 1 });
    const calls = (await controls().calls()).slice(callsBefore).map((c) => `${c.method} ${c.path}`);
    expect(calls).toEqual(["POST /connect/token"]);
    expect(await prisma.pendingRevoke.count()).toBe(0);
  });

  it("signs out every device at once, a reminder link's session included, and spends no sign-in link after", async () => {
    const { user, connection } = await reconfirmedUser();
    const links = await import("@/lib/auth/reminder-link");
    const at = new Date();
    const token = await links.createReminderLink(
      user.id,
      [{ connectionId: connection.id, consentExpiresAt: at }],
      at,
    );
    const session = (await links.openReminderLink(token ?? "", at)) ?? "";
    expect(await links.reminderSessionFor(session, at)).not.toBeNull();

    await lib.beginDeletion(user.id);
    expect(await links.reminderSessionFor(session, at)).toBeNull();
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.verificationToken.count({ where: { identifier: user.email ?? "" } })).toBe(0);
    await lib.completeDeletion(user.id);
  });

  it("finishes on a rerun after a crash that followed the revokes: only the pseudonymised record is left", async () => {
    const { user, connection, reconfirmationId } = await reconfirmedUser();
    await lib.beginDeletion(user.id);
    expect(await lib.revokeForDeletion(user.id)).toEqual([]);
    // The crash: nothing after the revokes ran. Every device is already signed out.
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect(
      (await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).deletionRequestedAt,
    ).not.toBeNull();
    expect(await simulated(connection.credentialsId)).toBe("revoked");

    setClockOffset(10 * 60_000);
    expect(await lib.finishInterruptedDeletions()).toBe(1);
    await expectOnlyPseudonymisedRecord(user, reconfirmationId, connection);
    expect(await lib.finishInterruptedDeletions()).toBe(0);
  });
});

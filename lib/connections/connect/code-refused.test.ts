// Issue 25: a code refused at exchange (wrong, used, >5 min: TL error codes, invalid_authorization_code) is a link
// to start again, not a connection to reconnect.
import { describe, expect, it, vi } from "vitest";
import { setClockOffset } from "@/lib/clock";
import { approveBankReauth, sandboxControls } from "@/sandbox/client";
import {
  bankApproval,
  createTestConnection,
  exchangeIdFrom,
  newUser,
  reconfirmOne,
  reconfirmThroughBank,
} from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { handleCallback } from "../bank-return/callback";
import { RECENT_RESULT_MS } from "../reconfirm/extend-one";
import { getCodeExchange } from "../store/exchanges";
import { bankReturnFailureWords, CODE_REJECTED_WORDS, resultView } from "./outcome";

const suite = integrationSuite();

/** Spends a code at the simulator, as a replayed or stolen return would. */
async function spend(code: string, redirectUri: string) {
  const response = await fetch(`${suite.it.sandboxUrl}/connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: suite.it.clientId,
      client_secret: suite.it.clientSecret,
      redirect_uri: redirectUri,
      code,
    }).toString(),
  });
  expect(response.status).toBe(200);
}

async function connectResult(path: string) {
  const exchange = await getCodeExchange(exchangeIdFrom(path));
  if (!exchange) throw new Error("no exchange recorded");
  return resultView(exchange.outcome);
}

describe("a code TrueLayer refuses at the exchange", () => {
  it("connect, a code TrueLayer never issued: the link had been used or expired, start again; never reconnect", async () => {
    const user = await newUser(suite.prisma);
    const approval = await bankApproval(user.id);
    const view = await connectResult(
      await handleCallback({ ...approval, code: `${approval.code}x` }, user.id),
    );
    expect(view).toEqual({
      kind: "failed",
      code: "invalid_authorization_code",
      message: CODE_REJECTED_WORDS,
    });
    expect(CODE_REJECTED_WORDS).not.toMatch(/reconnect/i);
    expect(await suite.prisma.connection.count({ where: { userId: user.id } })).toBe(0);
  });

  it("connect, code over 5 minutes old: the same words", async () => {
    const user = await newUser(suite.prisma);
    const approval = await bankApproval(user.id);
    await suite.it.sandbox.controls.advanceClock(6 / (24 * 60));
    try {
      const view = await connectResult(await handleCallback(approval, user.id));
      expect(view).toMatchObject({ kind: "failed", message: CODE_REJECTED_WORDS });
    } finally {
      await suite.it.sandbox.controls.setClock(0);
    }
  });

  it("the bank return after extend, code already used: recorded as refused and worded to start again", async () => {
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "doe");
    const { trip, link } = await reconfirmThroughBank(user.id, connection.id);
    const back = await approveBankReauth(link);
    const code = back.params.code ?? "";
    await spend(code, suite.it.redirectUri);
    const path = await handleCallback({ code }, user.id, { tripHashes: [trip.hash] });
    const exchange = await getCodeExchange(exchangeIdFrom(path));
    expect(exchange?.outcome).toEqual({ flow: "extend", status: "failed", reason: "code_rejected" });
    expect(bankReturnFailureWords("code_rejected")).toMatch(/already been used or had expired/);
    expect(bankReturnFailureWords("code_rejected")).not.toMatch(/reconnect/i);
  });

  it("the bank return after extend, exchange answer lost: says they approved, we cannot tell, and may ask to connect again, as a rotated token then does (said nothing was lost)", async () => {
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "doe");
    const { trip, link } = await reconfirmThroughBank(user.id, connection.id);
    const back = await approveBankReauth(link);
    await sandboxControls(suite.it.sandboxUrl, suite.it.clientId).injectFault({
      endpoint: "token",
      kind: "lost_response",
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const path = await handleCallback({ code: back.params.code ?? "" }, user.id, { tripHashes: [trip.hash] });
    warn.mockRestore();
    const exchange = await getCodeExchange(exchangeIdFrom(path));
    expect(exchange?.outcome).toEqual({
      flow: "extend",
      status: "failed",
      reason: "exchangeCode_outcome_unknown",
    });
    const words = bankReturnFailureWords("exchangeCode_outcome_unknown");
    expect(words).toMatch(/^You approved at your bank, but .* can't tell whether the renewal went through/);
    expect(words).not.toMatch(/nothing was lost/i);
    expect(words).toMatch(/if it did go through, we may ask you to connect this bank again/);
    const after = await suite.prisma.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(after.consentExpiresAt).toEqual(connection.consentExpiresAt);
    setClockOffset(RECENT_RESULT_MS + 1_000);
    const again = await reconfirmOne(user.id, connection.id).finally(() => setClockOffset(0));
    if (again.kind !== "finished") throw new Error(again.message);
    expect(again.outcomes[0]?.outcome).toEqual({ kind: "failed", reason: "reconnect_required" });
  });
});

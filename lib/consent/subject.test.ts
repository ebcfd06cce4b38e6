import { afterEach, describe, expect, it, vi } from "vitest";

const saved = process.env.CONSENT_SUBJECT_KEY;
afterEach(() => {
  if (saved === undefined) delete process.env.CONSENT_SUBJECT_KEY;
  else process.env.CONSENT_SUBJECT_KEY = saved;
});

/** The pseudonyms of `emails` under a fresh read of the environment (env() and the key are read once). */
async function subjectsWith(key: string | undefined, emails: string[]) {
  vi.resetModules();
  if (key === undefined) delete process.env.CONSENT_SUBJECT_KEY;
  else process.env.CONSENT_SUBJECT_KEY = key;
  const { consentSubject } = await import("./subject");
  return emails.map(consentSubject);
}

describe("the consent pseudonym", () => {
  it("is an HMAC of the normalised address: the same for any spelling, different under another key", async () => {
    const [a, same, other] = await subjectsWith(undefined, [
      "Ada.Lovelace@Example.TEST ",
      "ada.lovelace@example.test",
      "grace@example.test",
    ]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(same).toBe(a);
    expect(other).not.toBe(a);
    const [keyed] = await subjectsWith("k".repeat(40), ["ada.lovelace@example.test"]);
    expect(keyed).toMatch(/^[0-9a-f]{64}$/);
    expect(keyed).not.toBe(a);
  });
});

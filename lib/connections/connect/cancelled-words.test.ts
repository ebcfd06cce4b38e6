import { describe, expect, it } from "vitest";
import { cancelledWords } from "./cancelled-words";

describe("cancelledWords", () => {
  it("a cancelled renewal: nothing changed, try the renewal again", () => {
    const words = cancelledWords({}, "Reconsent");
    expect(words.reconfirming).toBe(true);
    expect(words.body).toMatch(/as they were/);
    expect(words.note).toBeUndefined();
  });

  it("a cancelled connect or reconnect: nothing shared, and a cancel anywhere gives no access", () => {
    for (const params of [{ from: "connect" }, { reconnect: "c_1" }]) {
      const words = cancelledWords(params, "Reconsent");
      expect(words.reconfirming).toBe(false);
      expect(words.body).toMatch(/nothing was shared with Reconsent/);
      expect(words.note).toMatch(/gives no access/);
    }
  });
});

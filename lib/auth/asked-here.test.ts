import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { askedHereIn, askedIn, marksIn } from "./asked-here";

// The "this browser asked for a link" cookie (issue 27 item 5), as the email callback reads it from the request.
describe("asked here", () => {
  it("recognises only the addresses this browser asked for", () => {
    const value = ["a", "b"].map((n) => markFor(`${n}@example.test`)).join(".");
    expect(askedIn(value, "a@example.test")).toBe(true);
    expect(askedIn(value, "b@example.test")).toBe(true);
    expect(askedIn(value, "c@example.test")).toBe(false);
    expect(askedHereIn(`other=1; reconsent.asked=${value}`, "a@example.test")).toBe(true);
    expect(askedHereIn(`reconsent.asked=${value}x`, "b@example.test")).toBe(false);
  });

  it("cannot be forged from the address alone or stuffed with junk", () => {
    for (const forged of [
      "a@example.test",
      "",
      ".",
      "x".repeat(4096),
      `${"A".repeat(22)}.${"-".repeat(22)}`,
    ]) {
      expect(askedIn(forged, "a@example.test"), forged.slice(0, 30)).toBe(false);
    }
    expect(marksIn(`${"A".repeat(22)}.short.${"B".repeat(23)}`)).toEqual(["A".repeat(22)]);
  });
});

// The mark as the module computes it: the first 22 characters of an HMAC, so only the server can make one.
function markFor(email: string): string {
  return createHmac("sha256", process.env.AUTH_SECRET ?? "")
    .update(`asked-here\n${email}`)
    .digest("base64url")
    .slice(0, 22);
}

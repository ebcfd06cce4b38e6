import { describe, expect, it } from "vitest";
import { attachment, seeOther, streamOf } from "./http-responses";

describe("responses for route handlers", () => {
  it("a 303 goes to our own origin, never cached, with any headers given", () => {
    const response = seeOther("/signin/again?callbackUrl=%2Fsettings%2Fdata", { "X-Extra": "1" });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(
      "http://127.0.0.1:3999/signin/again?callbackUrl=%2Fsettings%2Fdata",
    );
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("X-Extra")).toBe("1");
  });

  it("a download is saved under its name, never cached", async () => {
    const response = attachment("{}\n", "reconsent-data-2026-12-07.json", "application/json; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(
      'attachment; filename="reconsent-data-2026-12-07.json"',
    );
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.text()).toBe("{}\n");
  });

  it("a stream sends each piece as it is made, and a client that goes away ends the source", async () => {
    const made: string[] = [];
    let ended = false;
    async function* pieces() {
      try {
        for (const piece of ["a\n", "b\n", "c\n"]) {
          made.push(piece);
          yield piece;
        }
      } finally {
        ended = true;
      }
    }
    expect(await new Response(streamOf(pieces())).text()).toBe("a\nb\nc\n");
    made.length = 0;
    ended = false;
    const reader = streamOf(pieces()).getReader();
    await reader.read();
    await reader.cancel();
    expect(ended).toBe(true);
    expect(made.length).toBeLessThan(3);
  });
});

import { describe, expect, it } from "vitest";
import { decodeEntities } from "./load-reconfirm-http";

describe("the spike's reading of a result page", () => {
  it("decodes HTML's character references, so a heading with an apostrophe is read as a person reads it", () => {
    expect(decodeEntities("Mock UK Bank: we couldn&#x27;t tell whether it renewed")).toBe(
      "Mock UK Bank: we couldn't tell whether it renewed",
    );
    expect(decodeEntities("A &amp; B &#39;x&#39; &lt;b&gt; &quot;q&quot; &bogus;")).toBe(
      "A & B 'x' <b> \"q\" &bogus;",
    );
  });
});

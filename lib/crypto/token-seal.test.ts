import { describe, expect, it } from "vitest";
import { keyIdOf, keyringFrom, open, seal } from "./token-seal";

const k1 = Buffer.alloc(32, 1).toString("base64");
const k2 = Buffer.alloc(32, 2).toString("base64");

describe("token sealing", () => {
  it("round-trips and never contains the plain token", () => {
    const ring = keyringFrom({ id: "k1", key: k1 });
    const sealed = seal("sbx_rt_secret-token", ring);
    expect(sealed).not.toContain("secret-token");
    expect(keyIdOf(sealed)).toBe("k1");
    expect(open(sealed, ring)).toBe("sbx_rt_secret-token");
    expect(seal("same", ring)).not.toBe(seal("same", ring));
  });

  it("opens values sealed with a retired key after rotation", () => {
    const old = seal("tok", keyringFrom({ id: "k1", key: k1 }));
    const rotated = keyringFrom({ id: "k2", key: k2 }, `k1:${k1}`);
    expect(open(old, rotated)).toBe("tok");
    expect(keyIdOf(seal("tok", rotated))).toBe("k2");
  });

  it("refuses tampered values and unknown keys", () => {
    const ring = keyringFrom({ id: "k1", key: k1 });
    const sealed = seal("tok", ring);
    const tampered = `${sealed.slice(0, -2)}AA`;
    expect(() => open(tampered, ring)).toThrow();
    expect(() => open(sealed, keyringFrom({ id: "k2", key: k2 }))).toThrow(/No key "k1"/);
  });
});

// Pure crypto, keys passed in (no secrets of its own), so browser-test fixtures seal as the app does; the keyring is
// built in server-only code.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// A sealed value names the key that sealed it ("v1.<keyId>.<iv>.<tag>.<ciphertext>"), so keys can rotate.

export type Keyring = { currentKeyId: string; keys: Map<string, Buffer> };

export function keyringFrom(current: { id: string; key: string }, old?: string): Keyring {
  const keys = new Map<string, Buffer>([[current.id, Buffer.from(current.key, "base64")]]);
  for (const entry of (old ?? "").split(",").filter(Boolean)) {
    const [id, key] = entry.split(":");
    if (id && key) keys.set(id.trim(), Buffer.from(key.trim(), "base64"));
  }
  return { currentKeyId: current.id, keys };
}

export function seal(plain: string, ring: Keyring): string {
  const key = ring.keys.get(ring.currentKeyId);
  if (!key) throw new Error("The current token key is not in the keyring.");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(ring.currentKeyId));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", ring.currentKeyId, iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function keyIdOf(sealed: string): string {
  const [, keyId] = sealed.split(".");
  if (!keyId) throw new Error("Not a sealed value.");
  return keyId;
}

export function open(sealed: string, ring: Keyring): string {
  const [version, keyId, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !keyId || !iv || !tag || body === undefined) throw new Error("Not a sealed value.");
  const key = ring.keys.get(keyId);
  if (!key) throw new Error(`No key "${keyId}" to open this value.`);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(keyId));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

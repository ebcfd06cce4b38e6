import { createHash } from "node:crypto";

/** SHA-256 of a string's UTF-8, as lowercase hex: how one-time values are stored and wordings fingerprinted. */
export const sha256Hex = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");

import type { FieldName, Fields } from "./fields";

export type Mode = "production" | "demo" | "test";
export type Target = "simulator" | "sandbox" | "production";

/** What the rules see: the values that parsed (a bad one is absent: its own problem is already listed). */
export type Context = {
  values: Partial<Fields>;
  given: (key: FieldName) => boolean;
  mode: Mode;
  onVercel: boolean;
  target: Target | undefined;
};

export type Problem = `${FieldName}${string}`;
export const problem = (key: FieldName, message: string): Problem =>
  `${key}${message.startsWith("=") ? "" : " "}${message}`;

export function hostOf(value: string): string | null {
  try {
    return new URL(value).hostname;
  } catch {
    return null;
  }
}

export function emailDomain(value: string): string | null {
  const address = /<([^<>\s]+)>\s*$/.exec(value)?.[1] ?? value.trim();
  const at = address.lastIndexOf("@");
  return at > 0 && at < address.length - 1 ? address.slice(at + 1) : null;
}

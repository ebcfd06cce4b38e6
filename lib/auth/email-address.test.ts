import { describe, expect, it } from "vitest";
import { EmailAddress } from "./email-address";

describe("EmailAddress", () => {
  it("normalises like next-auth's email provider", () => {
    expect(EmailAddress.parse("  Jamie.Example@Example.COM ")).toBe("jamie.example@example.com");
    expect(EmailAddress.parse("ｊａｍｉｅ@example.com")).toBe("jamie@example.com");
  });

  it("gives one message per problem", () => {
    const messages = (input: unknown) => {
      const r = EmailAddress.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(messages("")).toEqual(["Enter your email address."]);
    expect(messages("not-an-email")).toEqual(["Enter an email address like name@example.com."]);
    expect(messages("a@b")).toEqual(["Enter an email address like name@example.com."]);
  });
});

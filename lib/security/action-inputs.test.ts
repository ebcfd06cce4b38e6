import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formDataToObject } from "@/lib/auth/action";
import { OpenReminderLinkInput, RequestLinkInput } from "@/lib/auth/actions/inputs";
import {
  ConfirmDeclineInput,
  ConnectInput,
  ContinueInput,
  DeclineInput,
  ReconfirmInput,
  StopSharingInput,
} from "@/lib/connections/actions/inputs";
import { ReminderPreferenceInput, UpdateNameInput } from "@/lib/users/actions/inputs";

// Every action's input schema, fed random form data as the wrapper builds it: success (bounded strings) or ZodError.

const schemas: [name: string, schema: z.ZodType, fields: string[], arrays: string[]][] = [
  ["requestLink", RequestLinkInput, ["email", "callbackUrl"], []],
  ["openReminderLink", OpenReminderLinkInput, ["token"], []],
  ["connect", ConnectInput, ["providerId", "connectionId"], []],
  ["continueAtBank", ContinueInput, ["reconfirmationId", "connectionId"], []],
  ["decline", DeclineInput, ["connectionId", "shownConnectionId"], ["connectionId", "shownConnectionId"]],
  ["confirmDecline", ConfirmDeclineInput, ["connectionId"], ["connectionId"]],
  [
    "reconfirm",
    ReconfirmInput,
    ["connectionId", "shownConnectionId", "copyHash"],
    ["connectionId", "shownConnectionId"],
  ],
  ["stopSharing", StopSharingInput, ["connectionId"], []],
  ["reminderPreference", ReminderPreferenceInput, ["remindersEnabled"], []],
  ["updateName", UpdateNameInput, ["name", "next"], []],
];

const hostile = fc.constantFrom(
  "",
  " ",
  "on",
  "c_1",
  "a".repeat(64),
  "a".repeat(65),
  "x".repeat(10_000),
  "' OR 1=1 --",
  "\u0000",
  "\ud800",
  "\u202e",
  "//evil.example",
  "https://evil.example",
  "/\\evil.example",
  "jamie@example.test",
  "0".repeat(64),
  "__proto__",
  "constructor",
);
const value = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: "binary", maxLength: 40 }), hostile);

function entries(fields: string[]) {
  const name = fc.oneof(fc.constantFrom(...fields, "$ACTION_ID_x", "__proto__", "constructor"), fc.string());
  return fc.array(fc.tuple(name, value), { maxLength: 12 });
}

describe.each(schemas)("%s input", (_name, schema, fields, arrays) => {
  it("parses random form data or refuses it with a ZodError", () => {
    fc.assert(
      fc.property(entries(fields), (pairs) => {
        const form = new FormData();
        for (const [k, v] of pairs) form.append(k, v);
        const input = formDataToObject(form, arrays);
        try {
          const parsed = schema.parse(input) as Record<string, unknown>;
          for (const v of Object.values(parsed).flat()) {
            if (typeof v === "string") expect(v.length).toBeLessThanOrEqual(10_000);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(z.ZodError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("refuses values that are not strings at all", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...fields), fc.anything()), (input) => {
        try {
          schema.parse(input);
        } catch (error) {
          expect(error).toBeInstanceOf(z.ZodError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("ids", () => {
  it("refuse a NUL byte or other characters PostgreSQL or a URL would choke on", () => {
    for (const bad of ["\u0000", "c_1\u0000", "a/b", "a b", "%00", "é"]) {
      expect(StopSharingInput.safeParse({ connectionId: bad }).success).toBe(false);
      expect(ConnectInput.safeParse({ connectionId: bad }).success).toBe(false);
    }
    expect(StopSharingInput.safeParse({ connectionId: "c_0b7e-AZ_9" }).success).toBe(true);
  });
});

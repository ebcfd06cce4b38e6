import { z } from "zod";

const DAY_MS = 24 * 60 * 60 * 1000;
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Use a date like 2026-12-01." });

/** Whole UTC days, `to` included; the web export caps its span, the command does not. */
export function AuditRangeInput(maxDays?: number) {
  return z
    .object({ from: day, to: day, format: z.enum(["csv", "jsonl"]).default("csv") })
    .transform((v, ctx) => {
      const from = new Date(`${v.from}T00:00:00Z`);
      const to = new Date(new Date(`${v.to}T00:00:00Z`).getTime() + DAY_MS);
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from) {
        ctx.addIssue({
          code: "custom",
          message: "The end date must be on or after the start date.",
          path: ["to"],
        });
        return z.NEVER;
      }
      if (maxDays && to.getTime() - from.getTime() > maxDays * DAY_MS) {
        ctx.addIssue({
          code: "custom",
          message: `At most ${maxDays} days here; use npm run audit-export for longer ranges.`,
          path: ["to"],
        });
        return z.NEVER;
      }
      return { from, to, format: v.format };
    });
}

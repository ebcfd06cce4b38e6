import type { FunnelStep } from "@prisma/client";

/** In funnel order; the last two are how a journey can end other than completing. */
export const FUNNEL_STEPS: readonly { step: FunnelStep; label: string }[] = [
  { step: "REMINDED", label: "Reminded by email" },
  { step: "LINK_OPENED", label: "Opened the email link" },
  { step: "SCREEN_SEEN", label: "Saw the reconfirmation screen" },
  { step: "CONFIRMED", label: "Confirmed" },
  { step: "SENT_TO_BANK", label: "Sent to their bank" },
  { step: "COMPLETED", label: "Completed" },
  { step: "DECLINED", label: "Declined" },
  { step: "FAILED", label: "Failed" },
];

export const PER_BANK_STEPS: readonly FunnelStep[] = [
  "REMINDED",
  "CONFIRMED",
  "SENT_TO_BANK",
  "COMPLETED",
  "DECLINED",
  "FAILED",
];

export const SHORT_LABEL: Partial<Record<FunnelStep, string>> = {
  REMINDED: "Reminded",
  CONFIRMED: "Confirmed",
  SENT_TO_BANK: "To bank",
  COMPLETED: "Completed",
  DECLINED: "Declined",
  FAILED: "Failed",
};

/** A step's people as a whole percentage of those reminded; a dash when nobody was. */
export const shareOf = (part: number, whole: number) =>
  whole > 0 ? `${Math.round((part / whole) * 100)}%` : "–";

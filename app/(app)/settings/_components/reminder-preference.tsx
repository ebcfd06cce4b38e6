"use client";
import { useActionState } from "react";
import { SectionCard } from "@/app/_components/section-card";
import { SubmitButton } from "@/app/_components/submit-button";
import type { ActionState } from "@/lib/auth/action";
import { reminderPreferenceAction } from "@/lib/users/actions/reminder-preference";

/** Settings section: whether to get reminder emails before consent ends (the in-app banner always shows). */
export function ReminderPreference({ enabled }: { enabled: boolean }) {
  const [state, formAction] = useActionState<ActionState, FormData>(reminderPreferenceAction, {});
  return (
    <SectionCard id="reminders" title="Reminder emails">
      <form action={formAction} className="mt-3 space-y-4">
        <div className="flex items-start gap-3">
          <input
            id="remindersEnabled"
            name="remindersEnabled"
            type="checkbox"
            defaultChecked={enabled}
            aria-describedby="reminders-hint"
            className="mt-1 size-5 shrink-0 accent-brand-700"
          />
          <div>
            <label htmlFor="remindersEnabled" className="text-base font-semibold">
              Email me before my bank access ends
            </label>
            <p id="reminders-hint" className="mt-1 text-sm text-muted">
              14, 7 and 1 days before, and once if it has ended. You will still see a reminder here when you
              sign in.
            </p>
          </div>
        </div>
        <SubmitButton pendingLabel="Saving…">Save email choice</SubmitButton>
        <p aria-live="polite" className="text-sm font-medium text-brand-700">
          {state.ok ? state.message : null}
        </p>
        {!state.ok && state.message ? (
          <p role="alert" className="text-sm font-medium text-red-800">
            {state.message}
          </p>
        ) : null}
      </form>
    </SectionCard>
  );
}

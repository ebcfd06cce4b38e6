"use client";
import { useActionState } from "react";
import type { ActionState } from "@/lib/auth/action";

type BenchAction = (previous: ActionState, formData: FormData) => Promise<ActionState>;

/** A bench floor's plain form (app/bench/action, app/bench/durable): one button that posts its action. */
export function FloorForm({ action, label }: { action: BenchAction; label: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(action, {});
  return (
    <form action={formAction}>
      {state.message ? <p role="alert">{state.message}</p> : null}
      <button type="submit">{label}</button>
    </form>
  );
}

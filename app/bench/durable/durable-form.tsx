"use client";
import { useActionState } from "react";
import type { ActionState } from "@/lib/auth/action";
import { durableAction } from "./durable-action";

export function DurableForm() {
  const [state, formAction] = useActionState<ActionState, FormData>(durableAction, {});
  return (
    <form action={formAction}>
      {state.message ? <p role="alert">{state.message}</p> : null}
      <button type="submit">Run the durable floor action</button>
    </form>
  );
}

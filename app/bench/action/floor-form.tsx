"use client";
import { useActionState } from "react";
import type { ActionState } from "@/lib/auth/action";
import { floorAction } from "./floor-action";

export function FloorForm() {
  const [state, formAction] = useActionState<ActionState, FormData>(floorAction, {});
  return (
    <form action={formAction}>
      {state.message ? <p role="alert">{state.message}</p> : null}
      <button type="submit">Run the floor action</button>
    </form>
  );
}

"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { authedAction } from "@/lib/auth/action";
import { twoDurableWrites } from "@/lib/bench/durable-floor";

// Only imported by app/bench/durable/page.bench.tsx, so only in builds made for the bench: the action floor's
// wrapper, then two commits that wait for the disk (lib/bench/durable-floor.ts).
export const durableAction = authedAction(
  z.object({}),
  async (_input, user) => {
    await twoDurableWrites(user.id);
    redirect("/bench/static");
  },
  { signInReturnTo: "/bench/durable" },
);

"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { authedAction } from "@/lib/auth/action";

// Only imported by app/bench/action/page.bench.tsx, so only in builds made for the bench.
export const floorAction = authedAction(z.object({}), async () => redirect("/bench/static"), {
  signInReturnTo: "/bench/action",
});

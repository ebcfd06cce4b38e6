import "server-only";
import { notFound, redirect } from "next/navigation";
import { isOperator } from "@/lib/funnel/queries";
import { recordSecurityEvent } from "@/lib/security/events";
import { getCurrentSession } from "./session";
import type { CurrentSession } from "./session-user";
import { signedInRecently, stepUpPath } from "./step-up";

export type OperatorAccess =
  | { kind: "ok"; session: CurrentSession }
  | { kind: "sign_in" | "step_up" | "not_found" };

/** Who may use an operator page or route: the role, then a sign-in from the last few minutes (issue 27 item 9). */
export async function operatorAccess(): Promise<OperatorAccess> {
  const session = await getCurrentSession();
  if (!session) return { kind: "sign_in" };
  if (!(await isOperator(session.user.id))) return { kind: "not_found" };
  if (!signedInRecently(session)) return { kind: "step_up" };
  return { kind: "ok", session };
}

/** To everyone but an operator signed in in the last few minutes, operator pages do not exist or ask again. */
export async function guardOperator(path: string): Promise<CurrentSession> {
  const access = await operatorAccess();
  if (access.kind === "ok") return access.session;
  if (access.kind === "not_found") notFound();
  redirect(access.kind === "step_up" ? stepUpPath(path) : `/signin?callbackUrl=${encodeURIComponent(path)}`);
}

export async function requireOperator(path: string): Promise<CurrentSession> {
  const session = await guardOperator(path);
  await recordSecurityEvent({ kind: "OPERATOR_PAGE_VIEWED", userId: session.user.id, reason: path });
  return session;
}

import { signOutAction } from "@/lib/auth/actions/sign-out";

/** A plain form posting to the sign-out action: works without JavaScript. */
export function SignOutButton({ className }: { className?: string }) {
  return (
    <form action={signOutAction}>
      <button
        type="submit"
        className={
          className ??
          "inline-flex min-h-11 items-center rounded-md px-3 text-base font-medium text-ink underline-offset-4 hover:underline"
        }
      >
        Sign out
      </button>
    </form>
  );
}

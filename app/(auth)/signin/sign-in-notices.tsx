/** Why the sign-in page was opened: just signed out (here, or everywhere), or a link that did not work. */
export function SignInNotices({ signedOut, error }: { signedOut?: string; error?: string }) {
  return (
    <>
      {signedOut ? (
        <p role="status" className="mt-4 rounded-lg bg-brand-50 p-3 text-base">
          {signedOut === "all" ? "You're signed out on every device." : "You're signed out."}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="mt-4 rounded-lg bg-red-50 p-3 text-base text-red-800">
          We couldn&apos;t sign you in with that link. Ask for a new one below.
        </p>
      ) : null}
    </>
  );
}

import { EmailText } from "@/app/_components/email-text";

type Props = { appName: string; email: string; token: string; callbackUrl: string };

// Session donation (issue 27 item 5): someone can send you a link to their own account, and anything you then
// add (a bank) would be theirs. Signing in on a second device of your own still works, one plain step later.
export function AskedElsewhere({ appName, email, token, callbackUrl }: Props) {
  return (
    <>
      <h1 className="text-2xl font-bold">This link was asked for on another device</h1>
      <p className="mt-4 text-base">
        This browser didn&apos;t ask for a sign-in link. Pressing the button signs this device in to the{" "}
        {appName} account <EmailText email={email} strong />.
      </p>
      <ul className="mt-4 list-disc space-y-2 pl-5 text-base">
        <li>
          If you asked for it yourself, on your computer for example, and that is your address, go ahead.
        </li>
        <li>
          If someone sent you this link, or you don&apos;t recognise the address, close this page. Signing in
          would put you in their account, and anything you add, such as a bank, would be theirs.
        </li>
      </ul>
      <form method="post" action="/api/auth/callback/email" className="mt-6">
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="email" value={email} />
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <input type="hidden" name="elsewhere" value="yes" />
        <button
          type="submit"
          className="inline-flex min-h-12 w-full items-center justify-center rounded-lg bg-brand-700 px-6 text-base font-semibold text-white hover:bg-brand-800 sm:w-auto"
        >
          It&apos;s my address: sign in here
        </button>
      </form>
    </>
  );
}

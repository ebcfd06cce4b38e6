import { EmailText } from "./email-text";

// Session donation (issue 27 item 5): this browser signed in with a link it never asked for. Before a bank is
// added to that account, say so plainly, since whoever asked for the link would get the bank.
export function AskedElsewhereNotice({ email, bank }: { email: string; bank: string }) {
  return (
    <div role="alert" className="rounded-lg border border-amber-400 bg-amber-50 p-4 text-base">
      <p className="font-semibold">Check this is your account before you go on</p>
      <p className="mt-2">
        This browser was signed in with a sign-in link asked for on another device. Pressing the button adds{" "}
        {bank} to the account <EmailText email={email} strong />. If someone sent you that link, or this
        isn&apos;t your address, don&apos;t press it: sign out instead, and {bank} won&apos;t be added.
      </p>
    </div>
  );
}

/** The field a form sends once the page has shown the notice; actions refuse without it. */
export const ELSEWHERE_SEEN = { elsewhereSeen: "yes" } as const;

/** What deleting the account does, in order; `banks` are those that share data now. */
export function WhatHappens({ banks }: { banks: string[] }) {
  return (
    <ol className="mt-3 list-decimal space-y-2 pl-5 text-base">
      <li>
        {banks.length
          ? `Sharing stops at TrueLayer for ${banks.join(", ")}. If TrueLayer cannot confirm it straight away, we keep trying, and we tell you which banks are still waiting.`
          : "You share no bank data through Reconsent now, so there is nothing to stop."}
      </li>
      <li>Every device you are signed in on is signed out, and sign-in links you were sent stop working.</li>
      <li>
        Your name, email address, bank connections, accounts, reminders and settings are removed. The bank
        tokens of a connection TrueLayer has not confirmed stopping are kept only to stop it, then removed.
      </li>
      <li>
        A record of each consent you gave stays, without your name, email address or account details: the
        date, the bank, the data shared and the wording you agreed to. The law requires us to keep it.
      </li>
      <li>We send a confirmation to your email address.</li>
    </ol>
  );
}

import { brand } from "@/lib/brand";

/** What stopping sharing from one bank does, said before the button. */
export function WhatStopping({ bank }: { bank: string }) {
  const { appName } = brand();
  return (
    <ul className="list-disc space-y-2 pl-5 text-base">
      <li>
        {appName} will no longer see data from {bank}, and we'll delete our copy of the access.
      </li>
      <li>To share again later, you'll connect {bank} again from the start.</li>
      <li>You can also withdraw access at your bank, in its app or online banking.</li>
    </ul>
  );
}

export type CancelledWords = { reconfirming: boolean; body: string; note?: string };

// TrueLayer sends one cancel from its bank-choice screen and from the bank alike: words true of both.
export function cancelledWords(
  params: { from?: string; reconnect?: string },
  appName: string,
): CancelledWords {
  if (params.from !== "connect" && !params.reconnect) {
    return {
      reconfirming: true,
      body: "Your bank connections are as they were. If access is ending soon, you can review it again whenever you're ready.",
    };
  }
  return {
    reconfirming: false,
    body: `No bank was connected and nothing was shared with ${appName}. You can try again whenever you're ready.`,
    note: "If you cancelled on the bank-choice screen, nothing was sent to any bank. A cancel at the bank itself gives no access either.",
  };
}

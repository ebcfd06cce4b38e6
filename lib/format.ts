const LONDON = "Europe/London";

const longDate = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: LONDON,
});
const dateTime = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: LONDON,
  timeZoneName: "short",
});

/** "14 February 2027", as the date falls in London. */
export function formatDate(date: Date): string {
  return longDate.format(date);
}

/** "14 February 2027 at 09:30 GMT": London time, with its zone (a reader abroad sees it is not theirs). */
export function formatDateTime(date: Date): string {
  return dateTime.format(date).replace(", ", " at ");
}

const time = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  timeZone: LONDON,
  timeZoneName: "short",
});

export function formatTime(date: Date): string {
  return time.format(date);
}

// Building a currency formatter costs about as much as rendering a card's words; one per currency is kept.
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(amount: string, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat("en-GB", { style: "currency", currency });
    moneyFormats.set(currency, format);
  }
  return format.format(Number(amount));
}

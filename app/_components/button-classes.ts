// Apart from links.tsx so that a client component (the error page's retry button) takes the class names alone.
const BUTTON = "inline-flex min-h-12 items-center justify-center rounded-lg px-6 text-base font-semibold";
export const primaryButton = `${BUTTON} bg-brand-700 text-white hover:bg-brand-800`;
export const secondaryButton = `${BUTTON} text-brand-700 ring-1 ring-brand-700 hover:bg-brand-50`;

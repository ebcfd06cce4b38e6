import Link from "next/link";

const BUTTON = "inline-flex min-h-12 items-center justify-center rounded-lg px-6 text-base font-semibold";
export const primaryButton = `${BUTTON} bg-brand-700 text-white hover:bg-brand-800`;
export const secondaryButton = `${BUTTON} text-brand-700 ring-1 ring-brand-700 hover:bg-brand-50`;

type LinkProps = { href: string; className?: string; children: React.ReactNode };

/** A link that looks like a button: the way on from a page, or (secondary) the way back. */
export function ButtonLink({ href, secondary, className, children }: LinkProps & { secondary?: boolean }) {
  const look = secondary ? secondaryButton : primaryButton;
  return (
    <Link href={href} className={className ? `${look} ${className}` : look}>
      {children}
    </Link>
  );
}

/** An underlined link in running text (strong: in a sentence that asks for it). */
export function TextLink({ href, strong, children }: Omit<LinkProps, "className"> & { strong?: boolean }) {
  return (
    <Link href={href} className={`${strong ? "font-semibold" : "font-medium"} text-brand-700 underline`}>
      {children}
    </Link>
  );
}

/** The way back at the foot of a page. */
export function BackLink({ href, children }: Omit<LinkProps, "className">) {
  return (
    <p className="mt-6">
      <TextLink href={href}>{children}</TextLink>
    </p>
  );
}

/** An address to write to; it wraps on a narrow screen. */
export function MailLink({ to }: { to: string }) {
  return (
    <a href={`mailto:${to}`} className="font-medium text-brand-700 underline break-words">
      {to}
    </a>
  );
}

/** The way back to the dashboard on its own line, with room for a thumb (className: its margin). */
export function ConnectionsLink({ className = "mt-6", strong }: { className?: string; strong?: boolean }) {
  const look = strong ? "min-h-12 items-center font-semibold" : "min-h-11 items-center font-medium";
  return (
    <Link href="/connections" className={`${className} inline-flex ${look} text-brand-700 underline`.trim()}>
      Back to your connections
    </Link>
  );
}

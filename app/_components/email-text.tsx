import { Fragment } from "react";

/**
 * An address (or a URL) that wraps at its "@", dots, colons and slashes on a narrow screen, never mid-word; one longer than the
 * line still breaks rather than scrolling sideways.
 */
export function EmailText({ email, strong = false }: { email: string; strong?: boolean }) {
  const parts = email.split(/(?=[@.:/])/);
  const Tag = strong ? "strong" : "span";
  return (
    <Tag className="break-words" data-email-address>
      {parts.map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
        <Fragment key={i}>
          {i > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </Tag>
  );
}

import Link from "next/link";
import type { ReconfirmCopy } from "@/lib/connections/reconfirm/copy";

/** The rest of the wording, skimmable: one short line per question a user asks. */
export function ConsentPoints({ copy }: { copy: ReconfirmCopy }) {
  return (
    <section
      aria-labelledby="points-heading"
      className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-black/5"
    >
      <h2 id="points-heading" className="text-lg font-semibold">
        What you are agreeing to
      </h2>
      <dl className="mt-3 space-y-3">
        {copy.points.map((point) => (
          <div key={point.title}>
            <dt className="text-sm font-semibold">{point.title}</dt>
            <dd className="text-base">{point.body}</dd>
          </div>
        ))}
      </dl>
      <ul className="mt-4 flex flex-col gap-2 text-base sm:flex-row sm:flex-wrap sm:gap-x-6">
        {copy.links.map((link) => (
          <li key={link.href}>
            {link.href.startsWith("/") ? (
              <Link href={link.href} className="font-medium text-brand-700 underline">
                {link.label}
              </Link>
            ) : (
              <a
                href={link.href}
                target="_blank"
                rel="noreferrer"
                className="font-medium text-brand-700 underline"
              >
                {link.label}
                <span className="sr-only"> (opens in a new tab)</span>
              </a>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

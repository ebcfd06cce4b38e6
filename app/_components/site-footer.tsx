import Link from "next/link";
import { brand, localHref, TRUELAYER_FIRM } from "@/lib/brand";

const linkClass = "inline-flex min-h-11 items-center font-medium text-brand-700 underline";

/** On every page, signed in or out: our policies, how to reach us, and who accesses bank data. */
export function SiteFooter() {
  const { appName, privacyUrl, termsUrl, supportEmail } = brand();
  return (
    <footer className="mt-10 border-t border-gray-200 bg-white">
      <div className="mx-auto max-w-3xl px-4 py-5 text-sm text-muted">
        <nav aria-label="Policies">
          <ul className="flex flex-wrap gap-x-6">
            <li>
              <Link href={localHref(privacyUrl)} className={linkClass}>
                Privacy notice
              </Link>
            </li>
            <li>
              <Link href={localHref(termsUrl)} className={linkClass}>
                Terms
              </Link>
            </li>
            <li>
              <a href={`mailto:${supportEmail}`} className={`${linkClass} break-words`}>
                Contact {appName}
              </a>
            </li>
          </ul>
        </nav>
        <p className="mt-2">
          Bank data is accessed by {TRUELAYER_FIRM.name}, authorised by the Financial Conduct Authority (firm
          reference number {TRUELAYER_FIRM.frn}), on {appName}&apos;s behalf.
        </p>
      </div>
    </footer>
  );
}

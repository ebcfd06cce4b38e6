import Link from "next/link";
import { BrandMark } from "@/app/_components/brand-mark";

/** Signed-out pages and the first-sign-in step: one narrow column, no app navigation. */
export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-md px-5 py-10 sm:py-16">
      <header>
        <Link
          href="/"
          className="inline-flex min-h-11 items-center text-sm font-semibold uppercase tracking-wide text-brand-700"
        >
          <BrandMark />
        </Link>
      </header>
      <main className="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-black/5 sm:p-8">{children}</main>
    </div>
  );
}

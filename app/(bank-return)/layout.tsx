import Link from "next/link";

// The bank sends people back here, possibly in a browser without our cookies. The signed-in shell's
// layout would send them to sign in with its own return address; this page must come back to itself.
export const dynamic = "force-dynamic";

export default function BankReturnLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <header className="border-b border-gray-200 bg-white">
        <div className="mx-auto flex max-w-3xl items-center px-4 py-3">
          <Link href="/connections" className="text-lg font-bold text-brand-700">
            Reconsent
          </Link>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-3xl px-4 py-6 sm:py-8">
        {children}
      </main>
    </>
  );
}

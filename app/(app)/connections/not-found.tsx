import Link from "next/link";

export default function ConnectionNotFound() {
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold sm:text-3xl">We couldn't find that</h1>
      <p className="text-base">This bank connection doesn't exist or isn't yours.</p>
      <Link
        href="/connections"
        className="inline-flex min-h-12 items-center font-semibold text-brand-700 underline"
      >
        Back to your connections
      </Link>
    </div>
  );
}

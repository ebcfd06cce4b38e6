import type { Metadata } from "next";
import Link from "next/link";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign-in problem" };

const USED_OR_EXPIRED = {
  title: "This link has expired or was already used",
  body: "Each sign-in link works once, for 15 minutes. Ask for a new one and use the latest email.",
};
const ELSEWHERE = {
  title: "Open the link from your email again",
  body: "This link was asked for on another device or browser, and this page did not say so before you pressed. Open the link from your email again to see what it does.",
};
const OTHER = {
  title: "We couldn't sign you in",
  body: "Something went wrong on our side. Please ask for a new link; if it keeps happening, try again later.",
};

export default async function SignInErrorPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string }>;
}) {
  const { error } = await searchParams;
  const copy = error === "Verification" ? USED_OR_EXPIRED : error === "Elsewhere" ? ELSEWHERE : OTHER;
  return (
    <>
      <h1 className="text-2xl font-bold">{copy.title}</h1>
      <p className="mt-4 text-base">{copy.body}</p>
      <Link
        href="/signin"
        className="mt-6 inline-flex min-h-12 items-center rounded-lg bg-brand-700 px-6 text-base font-semibold text-white hover:bg-brand-800"
      >
        Send a new link
      </Link>
    </>
  );
}

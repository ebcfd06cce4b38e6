import { TextLink } from "@/app/_components/links";

/** A reminder link whose token is missing or malformed: open it again from the email, or sign in. */
export function IncompleteLink() {
  return (
    <>
      <h1 className="text-2xl font-bold">This link is incomplete</h1>
      <p className="mt-4 text-base">
        Part of the link seems to be missing. Try opening it again from the email, or{" "}
        <TextLink href={`/signin?callbackUrl=${encodeURIComponent("/reconfirm")}`} strong>
          sign in
        </TextLink>
        .
      </p>
    </>
  );
}

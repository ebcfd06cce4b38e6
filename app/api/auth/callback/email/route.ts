import { handleEmailCallback } from "@/lib/auth/email-callback";

// next-auth's only public route: signing in with the mailed link (lib/auth/email-callback.ts).
// Every other next-auth endpoint (its own sign-in mail, CSRF, session, sign-out) is not served.
export const dynamic = "force-dynamic";
export const POST = handleEmailCallback;

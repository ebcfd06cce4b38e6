import "server-only";
import { PrismaAdapter } from "@next-auth/prisma-adapter";
import type { NextAuthOptions } from "next-auth";
import type { Adapter } from "next-auth/adapters";
import EmailProvider from "next-auth/providers/email";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { safeCallbackUrl } from "./callback-url";
import { findSessionAndUser, SESSION_MAX_AGE_S } from "./queries";
import { sessionCookieName, sessionCookieOptions } from "./session-cookie";
import { sendSignInEmail } from "./sign-in-email";

// The type check proves the Prisma adapter fits our generated client.
export function authAdapter(): Adapter {
  return { ...PrismaAdapter(db()), getSessionAndUser: findSessionAndUser };
}

let cached: NextAuthOptions | undefined;

// Never at build time: it reads the environment.
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const config = env();
  // next-auth 4 reads its own base URL from the process environment; APP_URL is the one source.
  process.env.NEXTAUTH_URL = config.APP_URL;
  cached = {
    adapter: authAdapter(),
    secret: config.AUTH_SECRET,
    // An absolute lifetime; the idle timeout is ours (lib/auth/queries.ts).
    session: { strategy: "database", maxAge: SESSION_MAX_AGE_S },
    useSecureCookies: config.APP_URL.startsWith("https://"),
    cookies: { sessionToken: { name: sessionCookieName(), options: sessionCookieOptions() } },
    providers: [
      EmailProvider({
        server: config.SMTP_URL,
        from: config.EMAIL_FROM,
        maxAge: 15 * 60,
        sendVerificationRequest: ({ identifier, url }) => sendSignInEmail({ to: identifier, url }),
      }),
    ],
    pages: {
      signIn: "/signin",
      verifyRequest: "/signin/check-email",
      error: "/signin/error",
      // First sign-in asks for the full name before anything else (TrueLayer's extend needs it).
      newUser: "/welcome",
    },
    callbacks: {
      // Only our own signed-in pages, judged as every other redirect after sign-in is.
      redirect({ url, baseUrl }) {
        return new URL(safeCallbackUrl(url, baseUrl), baseUrl).toString();
      },
      session({ session, user }) {
        return { ...session, user: { ...session.user, id: user.id, name: user.name ?? null } };
      },
    },
  };
  return cached;
}

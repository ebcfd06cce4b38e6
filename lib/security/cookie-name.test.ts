import { describe, expect, it } from "vitest";
import { authOptions } from "@/lib/auth/options";
import { reminderCookie, reminderCookieOptions } from "@/lib/auth/reminder-session";
import { sessionCookieName, sessionCookieOptions } from "@/lib/auth/session-cookie";
import { cookieName, hostCookieOptions } from "./cookie-name";

// env() is read once per test file, on first use: this file sees the app as production sees it, over https.
process.env.APP_URL = "https://localhost:3443";

describe("cookie names over https (issue 27 item 7)", () => {
  it("are __Host- prefixed, with the attributes the prefix demands", () => {
    expect(sessionCookieName()).toBe("__Host-next-auth.session-token");
    expect(reminderCookie()).toBe("__Host-reconsent.reminder-session");
    expect(cookieName("reconsent.trips")).toBe("__Host-reconsent.trips");
    for (const options of [sessionCookieOptions(), reminderCookieOptions(), hostCookieOptions(60)]) {
      expect(options).toMatchObject({ secure: true, path: "/", httpOnly: true, sameSite: "lax" });
      expect(options).not.toHaveProperty("domain");
    }
  });

  it("next-auth sets the session cookie under the same name", () => {
    const session = authOptions().cookies?.sessionToken;
    expect(session?.name).toBe("__Host-next-auth.session-token");
    expect(session?.options).toMatchObject({ secure: true, path: "/" });
  });
});

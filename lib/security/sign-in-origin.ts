// Login CSRF (another site making a browser use its own sign-in link): Sec-Fetch-Site must say same-origin, else
// Origin must be ours; "null" refused. Checked in the route handing the token to next-auth, so no path spelling skips it.
export type SignInRequest = { method: string; origin: string | null; fetchSite: string | null };

export function signInRefusal(request: SignInRequest, appUrl: string): 403 | 405 | null {
  if (request.method !== "POST") return 405;
  if (request.fetchSite !== null) return request.fetchSite === "same-origin" ? null : 403;
  return request.origin === new URL(appUrl).origin ? null : 403;
}

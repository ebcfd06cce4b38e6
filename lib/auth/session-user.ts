export type SessionUser = { id: string; email: string; name: string | null };
/** The user, and what the session itself says about how they got in. */
export type CurrentSession = { user: SessionUser; signedInAt: Date; linkAskedElsewhere: boolean };

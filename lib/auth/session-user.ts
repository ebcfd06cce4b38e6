export type SessionUser = { id: string; email: string; name: string | null };
export type CurrentSession = { user: SessionUser; signedInAt: Date; linkAskedElsewhere: boolean };

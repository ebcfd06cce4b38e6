import type { ExtendUser } from "@/lib/truelayer";

/**
 * Extend's `user` object. `user.id` is unsettled (../shared/truelayer-api.md §11): one revision of
 * TrueLayer's integration guide calls it "the UUID that was automatically generated for the user when they
 * initially created the connection", yet no public source says where that UUID could be read. We send our
 * own opaque per-user UUID (User.truelayerUserId), never our database id; `npm run smoke:truelayer` records
 * what the real sandbox does with it and without it. Change it here only.
 */
export function extendUserFor(profile: { truelayerUserId: string; name: string; email: string }): ExtendUser {
  return { id: profile.truelayerUserId, name: profile.name.trim(), email: profile.email };
}

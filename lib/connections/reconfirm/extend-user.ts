import type { ExtendUser } from "@/lib/truelayer";

/** Extend's `user`. `user.id` is unsettled (../shared/truelayer-api.md §11 quotes the guide): we send our opaque
 * per-user UUID (User.truelayerUserId), never our database id; `npm run smoke:truelayer` records what the real
 * sandbox does with it and without it. Change it here only. */
export function extendUserFor(profile: { truelayerUserId: string; name: string; email: string }): ExtendUser {
  return { id: profile.truelayerUserId, name: profile.name.trim(), email: profile.email };
}

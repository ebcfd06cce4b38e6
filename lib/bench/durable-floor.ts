import "server-only";
import { newId } from "@/lib/ids";
import { countTwiceDurably } from "@/lib/security/rate-limit";

// Only for app/bench/durable (builds made for `npm run bench`): the physical floor of a renewal, two single-row
// writes in two transactions of their own, each waiting for the disk (synchronous_commit on, whatever the
// server's default), as the consent record before TrueLayer is called and the stored answer after it do. A
// RateLimit row under a key of its own touches nothing the app counts.
export async function twoDurableWrites(userId: string): Promise<void> {
  await countTwiceDurably(`bench-durable:${userId}:${newId()}`);
}

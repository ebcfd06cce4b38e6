import "server-only";
import { newId } from "@/lib/ids";
import { countTwiceDurably } from "@/lib/security/rate-limit";

// Only for app/bench/durable: a renewal's durable floor (decision 059), two single-row writes each waiting for the
// disk whatever the server's default. A RateLimit row under a key of its own touches nothing the app counts.
export async function twoDurableWrites(userId: string): Promise<void> {
  await countTwiceDurably(`bench-durable:${userId}:${newId()}`);
}

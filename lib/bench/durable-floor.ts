import "server-only";
import { newId } from "@/lib/ids";
import { countTwiceDurably } from "@/lib/security/rate-limit";

// Only for app/bench/durable (`npm run bench` builds): a renewal's physical floor, two single-row writes in
// transactions of their own, each waiting for the disk (synchronous_commit on, whatever the server's default), as the
// consent record and the stored answer do. A RateLimit row under a key of its own touches nothing the app counts.
export async function twoDurableWrites(userId: string): Promise<void> {
  await countTwiceDurably(`bench-durable:${userId}:${newId()}`);
}

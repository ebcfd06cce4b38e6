import { db } from "../lib/db";
import { DEMO_EMAIL, seedDemo } from "./demo-data";

const created = await seedDemo();
if (created > 0)
  process.stdout.write(`Seeded ${DEMO_EMAIL} with ${created} connections (active, expiring, lapsed).\n`);
await db().$disconnect();

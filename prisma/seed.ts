import { createPrismaClient } from "../lib/db";

// Demo data: a signed-up user whose connections are added through the simulator (see README).
const DEMO_EMAIL = "demo@reconsent.localhost";

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set.");
  const prisma = createPrismaClient(url);
  try {
    await prisma.user.upsert({
      where: { email: DEMO_EMAIL },
      update: {},
      create: { email: DEMO_EMAIL, name: "Alex Demo", emailVerified: new Date() },
    });
  } finally {
    await prisma.$disconnect();
  }
}

await main();

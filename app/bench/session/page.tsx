import { notFound } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";

// Benchmark floor (npm run bench): one session lookup in the database, the least a signed-in page
// does. Outside test and demo mode it does not exist.
export default async function BenchSessionPage() {
  if (env().mode === "production") notFound();
  const user = await getCurrentUser();
  return (
    <main>
      <h1>Session floor</h1>
      <p>{user ? "Signed in." : "Signed out."}</p>
    </main>
  );
}

import { getCurrentUser } from "@/lib/auth/session";

// Benchmark floor (npm run bench): one session lookup in the database, the least a signed-in page
// does.
export default async function BenchSessionPage() {
  const user = await getCurrentUser();
  return (
    <main>
      <h1>Session floor</h1>
      <p>{user ? "Signed in." : "Signed out."}</p>
    </main>
  );
}

import { notFound } from "next/navigation";
import { env } from "@/lib/env";

// Benchmark floor (npm run bench): the cheapest page this server can send, through the same root
// layout, proxy and headers as every other page. Outside test and demo mode it does not exist.
export default function BenchStaticPage() {
  if (env().mode === "production") notFound();
  return (
    <main>
      <h1>Static floor</h1>
      <p>Plain text and nothing else.</p>
    </main>
  );
}

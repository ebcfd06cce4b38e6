import { notFound } from "next/navigation";
import { env } from "@/lib/env";
import { Counter } from "./counter";

// Benchmark baseline (npm run bench): hello world with one tiny client component, so the JavaScript
// any page of this build loads can be told apart from what a route adds. Not in production mode.
export default function BenchHelloPage() {
  if (env().mode === "production") notFound();
  return (
    <main>
      <h1>Hello, world</h1>
      <Counter />
    </main>
  );
}

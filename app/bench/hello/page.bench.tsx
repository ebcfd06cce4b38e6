import { Counter } from "./counter";

// Benchmark baseline (npm run bench): hello world with one tiny client component, so the JavaScript
// any page of this build loads can be told apart from what a route adds.
export default function BenchHelloPage() {
  return (
    <main>
      <h1>Hello, world</h1>
      <Counter />
    </main>
  );
}

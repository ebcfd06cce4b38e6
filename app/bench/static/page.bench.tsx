// Benchmark floor (npm run bench): the cheapest page this server can send, through the same root
// layout, proxy and headers as every other page.
export default function BenchStaticPage() {
  return (
    <main>
      <h1>Static floor</h1>
      <p>Plain text and nothing else.</p>
    </main>
  );
}

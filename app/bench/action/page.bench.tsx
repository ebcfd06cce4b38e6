import { floorAction } from "./floor-action";
import { FloorForm } from "./floor-form";

// Benchmark floor (npm run bench): a server action that only checks the session and redirects, posted
// as a plain form the way the reconfirmation page's form is.
export default function BenchActionPage() {
  return (
    <main>
      <h1>Action floor</h1>
      <FloorForm action={floorAction} label="Run the floor action" />
    </main>
  );
}

import { FloorForm } from "../action/floor-form";
import { durableAction } from "./durable-action";

// Benchmark floor (npm run bench): the action floor plus two commits that wait for the disk, posted as a
// plain form the way the reconfirmation page's form is.
export default function BenchDurablePage() {
  return (
    <main>
      <h1>Durable action floor</h1>
      <FloorForm action={durableAction} label="Run the durable floor action" />
    </main>
  );
}

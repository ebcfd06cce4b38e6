// dist/ops.mjs: bounds the heap before anything else loads (decision 072), then runs the commands' bundle. A bundle's
// package imports are evaluated before any of its own code, so the flags could not come first inside it.
import { boundBatchHeap } from "../lib/ops/batch-heap";

boundBatchHeap();
await import("./ops-commands.mjs");

import v8 from "node:v8";

// A batch command holds ~25 MB, but V8's server defaults grow the young generation to 32 MB and old space to 4× the
// live heap. Both flags are read at each collection, so setting them after start-up works (decision 072).
export const BATCH_HEAP_FLAGS = ["--semi-space-growth-factor=1", "--heap-growing-percent=20"] as const;

export function boundBatchHeap(): void {
  for (const flag of BATCH_HEAP_FLAGS) v8.setFlagsFromString(flag);
}

// The commands bundle scripts/lib/ops-bundle.mjs writes beside dist/ops.mjs: run for its effect, nothing exported.
export {};

// Bundles scripts/ops.ts and the lib/ code it reaches into one ES module that needs only `node` and the
// production dependencies (decision 049). esbuild is a pinned devDependency: it runs at build time only.
import { readFileSync, renameSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
export const OPS_BUNDLE = path.join(root, "dist", "ops.mjs");

// `server-only` throws outside React's server bundle; a command is server code by definition.
const serverOnly = {
  name: "server-only",
  setup(build) {
    build.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
    build.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "" }));
  },
};

// Written beside and renamed into place: a command started meanwhile never runs half a file.
export async function bundleOps(outfile = OPS_BUNDLE) {
  const { build } = await import("esbuild");
  const partial = `${outfile}.${process.pid}.tmp.mjs`;
  await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, "scripts", "ops.ts")],
    outfile: partial,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    jsx: "automatic",
    packages: "external",
    logLevel: "error",
    legalComments: "none",
    plugins: [serverOnly],
  });
  renameSync(partial, outfile);
  return outfile;
}

/** The packages the bundle imports (bare specifiers, `node:` built-ins left out). */
export function bundleImports(file) {
  const names = new Set();
  for (const m of readFileSync(file, "utf8").matchAll(
    /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)"([^".][^"]*)"/g,
  )) {
    const spec = m[1];
    if (spec.startsWith("node:")) continue;
    names.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
  }
  return [...names].sort();
}

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

// The commands' bundle, loaded by the entry (decision 072: the entry sets heap flags before any package loads).
const COMMANDS = "ops-commands.mjs";
const commandsBeside = (outfile) => path.join(path.dirname(outfile), COMMANDS);

// Each written beside and renamed into place, the commands first: a command started meanwhile never runs half a file.
export async function bundleOps(outfile = OPS_BUNDLE) {
  const { build } = await import("esbuild");
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    jsx: "automatic",
    packages: "external",
    logLevel: "error",
    legalComments: "none",
    plugins: [serverOnly],
  };
  for (const [entry, file, extra] of [
    ["ops.ts", commandsBeside(outfile), {}],
    ["ops-entry.ts", outfile, { external: [`./${COMMANDS}`] }],
  ]) {
    const partial = `${file}.${process.pid}.tmp.mjs`;
    await build({ ...common, ...extra, entryPoints: [path.join(root, "scripts", entry)], outfile: partial });
    renameSync(partial, file);
  }
  return outfile;
}

/** The packages the bundle (the entry and the commands beside it) imports (bare specifiers, `node:` left out). */
export function bundleImports(file) {
  const names = new Set();
  const text = [file, commandsBeside(file)].map((f) => readFileSync(f, "utf8")).join("\n");
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)"([^".][^"]*)"/g)) {
    const spec = m[1];
    if (spec.startsWith("node:")) continue;
    names.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
  }
  return [...names].sort();
}

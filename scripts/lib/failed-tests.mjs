// The names of the tests a run failed, from Vitest's and Playwright's JSON reports, so the last lines of a CI log
// say what failed even when the log is cut to its tail. Names and the kind of failure only (a timeout, or the
// error's class or matcher): never the message itself, which may quote data.
import path from "node:path";

const MAX = 20;

/** What kind of failure a message reports, in words that cannot quote data: "timed out after 90 s", "AssertionError". */
export function failureKind(message) {
  if (typeof message !== "string") return undefined;
  // Playwright colours its messages, and puts an expectation's own message on the first line.
  const plain = message.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "");
  const timeout = /(?:timed out in|Test timeout of) (\d+) ?ms/.exec(plain);
  if (timeout) return `timed out after ${Math.round(Number(timeout[1]) / 1000)} s`;
  // A check that names itself ("[check] the page loaded once"), in plain words only, is named as it is.
  const check = /^Error: \[check\] ([\w ,'.()-]{1,100})$/m.exec(plain);
  if (check) return check[1];
  const matcher = /^(?:Error: )?(expect\([a-zA-Z]*\)(?:\.not)?\.\w+)\(/m.exec(plain);
  if (matcher) return matcher[1];
  return /^([A-Z]\w*(?:Error|Exception)|Error)\b/.exec(plain)?.[1];
}

const withKind = (name, kind) => (kind ? `${name} (${kind})` : name);

/** Failed tests in a Vitest JSON report, as "file > describe > test"; a file that failed to load, by its name. */
export function vitestFailures(report, root = process.cwd()) {
  const names = [];
  for (const file of report?.testResults ?? []) {
    const where = path.relative(root, file.name);
    const failed = (file.assertionResults ?? []).filter((a) => a.status === "failed");
    for (const a of failed)
      names.push(withKind(`${where} > ${a.fullName ?? a.title}`, failureKind(a.failureMessages?.[0])));
    if (file.status === "failed" && failed.length === 0) names.push(`${where} (did not run)`);
  }
  return names;
}

/** Failed tests in a Playwright JSON report (unexpected results), as "file:line > title". */
export function playwrightFailures(report) {
  const names = [];
  const walk = (suite, titles) => {
    const here = suite.title && !suite.title.endsWith(".ts") ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests ?? []) {
        if (test.status !== "unexpected") continue;
        const last = test.results?.at(-1);
        const kind = last?.status === "timedOut" ? "timed out" : failureKind(last?.error?.message);
        names.push(withKind(`${spec.file}:${spec.line} > ${[...here, spec.title].join(" > ")}`, kind));
        break;
      }
    for (const child of suite.suites ?? []) walk(child, here);
  };
  for (const suite of report?.suites ?? []) walk(suite, []);
  return names;
}

/** One line each, "failed: …", at most 20 of them and 200 characters each. */
export function failureLines(names) {
  const lines = names.slice(0, MAX).map((name) => `failed: ${name}`.slice(0, 200));
  if (names.length > MAX) lines.push(`failed: … and ${names.length - MAX} more`);
  return lines;
}

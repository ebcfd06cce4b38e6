// What the local stack starts, from the app's environment. Pure: the choice is tested on its own.
// The simulator (and the demo data, which is made through it) only when the app talks to it.

const isLoopback = (value) => {
  try {
    return ["localhost", "127.0.0.1", "[::1]"].includes(new URL(value).hostname);
  } catch {
    return false;
  }
};

/** `{ simulator, seed, problems }`: `problems` stop the stack before anything starts. */
export function stackPlan(env, { seed = false } = {}) {
  const target = env.TRUELAYER_TARGET?.trim() || "simulator";
  const simulator = target === "simulator";
  const problems = [];
  if (!simulator) {
    for (const name of ["TRUELAYER_AUTH_URL", "TRUELAYER_API_URL"]) {
      if (isLoopback(env[name] ?? ""))
        problems.push(
          `${name} points at this machine, but TRUELAYER_TARGET=${target} starts no simulator: unset it to use TrueLayer's own hosts`,
        );
    }
  }
  return { target, simulator, seed: seed && simulator, problems };
}

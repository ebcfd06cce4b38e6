// Runs once when the server starts: refuse to serve with an invalid environment; trace only when configured.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkEnvironmentOrExit, checkSealingKeysOrExit } = await import("./lib/startup");
    checkEnvironmentOrExit();
    const { registerTracing } = await import("./lib/telemetry/register");
    registerTracing();
    await checkSealingKeysOrExit();
  }
}

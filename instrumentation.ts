// Runs once when the server starts: refuse to serve with an invalid environment.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkEnvironmentOrExit, checkSealingKeysOrExit } = await import("./lib/startup");
    checkEnvironmentOrExit();
    await checkSealingKeysOrExit();
  }
}

import "server-only";
import { EnvError, env } from "./env";

export function checkEnvironmentOrExit(): void {
  try {
    env();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

// The test kit: everything tests, the bench and the demo use to drive the simulator and seed connections through
// the app's own custody module. It lives outside sandbox/ (which imports nothing of the app) and outside lib/.

export * from "@/lib/connections/custody/fixtures";
export * from "@/sandbox/client";
export { type Persona, type SeedTarget, seedConnection, syncSeededConnection } from "./seed";

import { describe, expect, it } from "vitest";
import { stackPlan } from "./stack-plan.mjs";

const simulatorEnv = {
  TRUELAYER_TARGET: "simulator",
  TRUELAYER_AUTH_URL: "http://127.0.0.1:3001",
  TRUELAYER_API_URL: "http://127.0.0.1:3001",
};

describe("stackPlan", () => {
  it("starts the simulator and seeds the demo data when the app talks to the simulator", () => {
    expect(stackPlan(simulatorEnv, { seed: true })).toEqual({
      target: "simulator",
      simulator: true,
      seed: true,
      problems: [],
    });
    // lib/env.ts defaults an unset target to the simulator, so the stack does too.
    expect(stackPlan({ TRUELAYER_TARGET: " " }, { seed: true })).toMatchObject({
      simulator: true,
      seed: true,
    });
    expect(stackPlan(simulatorEnv)).toMatchObject({ simulator: true, seed: false });
  });

  it("starts no simulator and seeds nothing against TrueLayer's sandbox", () => {
    expect(stackPlan({ TRUELAYER_TARGET: "sandbox" }, { seed: true })).toEqual({
      target: "sandbox",
      simulator: false,
      seed: false,
      problems: [],
    });
    expect(
      stackPlan(
        { TRUELAYER_TARGET: "sandbox", TRUELAYER_AUTH_URL: "https://auth.truelayer-sandbox.com" },
        { seed: true },
      ),
    ).toMatchObject({ simulator: false, problems: [] });
  });

  it("refuses the simulator's local hosts left in place for the sandbox", () => {
    const plan = stackPlan({ ...simulatorEnv, TRUELAYER_TARGET: "sandbox" }, { seed: true });
    expect(plan.simulator).toBe(false);
    expect(plan.problems).toEqual([
      "TRUELAYER_AUTH_URL points at this machine, but TRUELAYER_TARGET=sandbox starts no simulator: unset it to use TrueLayer's own hosts",
      "TRUELAYER_API_URL points at this machine, but TRUELAYER_TARGET=sandbox starts no simulator: unset it to use TrueLayer's own hosts",
    ]);
  });
});

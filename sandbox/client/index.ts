// The test kit: everything tests, the bench and the demo use to drive the simulator.
export {
  type Fault,
  type FaultKind,
  type SandboxCall,
  type SandboxControls,
  sandboxControls,
} from "./controls";
export {
  approveBankReauth,
  type Credentials,
  completeDialog,
  connectViaDialog,
  DialogError,
  type DialogOutcome,
} from "./dialog";
export { type Persona, type SeedTarget, seedConnection, syncSeededConnection } from "./seed";
export { startTestSandbox, type TestSandbox } from "./start";

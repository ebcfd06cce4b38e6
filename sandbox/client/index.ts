// The simulator's client side: its controls and dialog driver, importing nothing of the app (the kit, kit/,
// adds seeding through the app).
export {
  type Fault,
  type FaultKind,
  type SandboxCall,
  type SandboxControls,
  type SimulatedConnection,
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
export { startTestSandbox, type TestSandbox } from "./start";

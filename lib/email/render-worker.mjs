// The worker's entry (render.ts): workers do not inherit tsx's loader, so it registers its own first.
import { register } from "tsx/esm/api";

register();
await import("./render-worker.ts");

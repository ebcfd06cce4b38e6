import { parentPort } from "node:worker_threads";
import { type MailTemplates, renderTemplate } from "./templates";

// Runs without the react-server condition (render.ts starts it so), where react-dom/server loads.
parentPort?.on("message", async (job: { id: number; name: keyof MailTemplates; props: never }) => {
  try {
    parentPort?.postMessage({ id: job.id, mail: await renderTemplate(job.name, job.props) });
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});

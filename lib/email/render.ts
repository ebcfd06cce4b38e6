import "server-only";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { MailTemplates, RenderedMail } from "./templates";

// In-process under Next; tsx scripts (`--conditions=react-server`) lack react-dom/server: a worker renders there.
let inProcess: boolean | undefined;
let worker: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, { resolve: (m: RenderedMail) => void; reject: (e: Error) => void }>();

const refusedHere = (error: unknown) =>
  error instanceof Error && error.message.includes("not supported in React Server Components");

// Only scripts take this path; the entry is passed in so that Next's bundler does not follow it.
function startWorker(entry: string): Worker {
  const started = new Worker(/* turbopackIgnore: true */ entry, {
    execArgv: process.execArgv.filter((arg) => arg !== "--conditions=react-server"),
  });
  started.unref();
  started.on("message", (reply: { id: number; mail?: RenderedMail; error?: string }) => {
    const job = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.mail) job?.resolve(reply.mail);
    else job?.reject(new Error(`Rendering a mail failed: ${reply.error}`));
    if (waiting.size === 0) started.unref();
  });
  started.on("error", (error) => {
    for (const job of waiting.values()) job.reject(error);
    waiting.clear();
    worker = undefined;
  });
  return started;
}

function renderInWorker<K extends keyof MailTemplates>(name: K, props: MailTemplates[K]) {
  worker ??= startWorker(path.join(process.cwd(), "lib", "email", "render-worker.mjs"));
  worker.ref();
  const id = nextId++;
  const done = new Promise<RenderedMail>((resolve, reject) => waiting.set(id, { resolve, reject }));
  worker.postMessage({ id, name, props });
  return done;
}

async function renderShape<K extends keyof MailTemplates>(
  name: K,
  props: MailTemplates[K],
): Promise<RenderedMail> {
  if (inProcess !== false) {
    try {
      const { renderTemplate } = await import("./templates");
      const mail = await renderTemplate(name, props);
      inProcess = true;
      return mail;
    } catch (error) {
      if (!refusedHere(error)) throw error;
      inProcess = false;
    }
  }
  return renderInWorker(name, props);
}

// Mail shapes (template, brand, list lengths) render once with numbered slots each mail fills in (decision 019).
const SLOT = /@@SLOT(\d+)@@/g;
const shapes = new Map<string, Promise<RenderedMail>>();
const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" })[c] ?? c,
  );

function slotted(value: unknown, values: string[]): unknown {
  if (typeof value === "string") return `@@SLOT${values.push(value) - 1}@@`;
  if (Array.isArray(value)) return value.map((v) => slotted(v, values));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, slotted(v, values)]));
  return value;
}

/** A mail's HTML and plain-text parts, from one React Email template; the brand is never a slot. */
export async function renderMail<K extends keyof MailTemplates>(
  name: K,
  props: MailTemplates[K],
): Promise<RenderedMail> {
  const values: string[] = [];
  const { brand, ...rest } = props;
  const shape = { ...(slotted(rest, values) as object), brand } as MailTemplates[K];
  const key = `${name}:${JSON.stringify(shape)}`;
  let rendered = shapes.get(key);
  if (!rendered) {
    if (shapes.size >= 200) shapes.clear();
    rendered = renderShape(name, shape);
    shapes.set(key, rendered);
    rendered.catch(() => shapes.delete(key));
  }
  const { html, text } = await rendered;
  const fill = (template: string, encode: (v: string) => string) =>
    template.replace(SLOT, (_, i: string) => encode(values[Number(i)] ?? ""));
  return { html: fill(html, escapeHtml), text: fill(text, (v) => v) };
}

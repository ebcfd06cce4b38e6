import type { APIRequestContext, APIResponse } from "@playwright/test";
import { e2eEnv } from "./fixtures";

// Server-action forms as a browser without JavaScript sees them: read from the rendered HTML
// (React puts the action's id in hidden `$ACTION_…` inputs) and posted back over plain HTTP, so a
// test can send exactly what a hostile client would.

export type Field = [name: string, value: string];
export type Submitter = { name: string; value: string; label: string };
export type RenderedForm = { fields: Field[]; submitters: Submitter[]; html: string };

const ENTITIES: Record<string, string> = {
  amp: "&",
  quot: '"',
  lt: "<",
  gt: ">",
  apos: "'",
  "#x27": "'",
  "#39": "'",
};
const decode = (text: string) =>
  text.replace(/&(#x27|#39|amp|quot|lt|gt|apos);/g, (_, e: string) => ENTITIES[e] ?? "");

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of tag.matchAll(/([\w$:-]+)(?:="([^"]*)")?/g)) {
    const [, name, value] = match;
    if (name) out[name.toLowerCase()] = decode(value ?? "");
  }
  return out;
}

/** Every form on the page, with its inputs in document order and its submit buttons (name, value, label). */
export function formsIn(html: string): RenderedForm[] {
  return [...html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/g)].map(([whole, body = ""]) => {
    const fields: Field[] = [];
    for (const [tag] of body.matchAll(/<input\b[^>]*>/g)) {
      const a = attributes(tag.slice("<input".length));
      if (!a.name || a.disabled !== undefined) continue;
      if ((a.type === "checkbox" || a.type === "radio") && a.checked === undefined) continue;
      fields.push([a.name, a.value ?? (a.type === "checkbox" ? "on" : "")]);
    }
    const submitters: Submitter[] = [];
    for (const [, tag = "", label = ""] of body.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/g)) {
      const a = attributes(tag);
      if (a.type !== undefined && a.type !== "submit") continue;
      submitters.push({
        name: a.name ?? "",
        value: a.value ?? "",
        label: decode(label.replace(/<[^>]*>/g, "")).trim(),
      });
    }
    return { fields, submitters, html: whole };
  });
}

/** The form whose HTML contains `marker` (e.g. a field name or a button label). */
export function formWith(html: string, marker: string | RegExp): RenderedForm {
  const form = formsIn(html).find((f) =>
    typeof marker === "string" ? f.html.includes(marker) : marker.test(f.html),
  );
  if (!form) throw new Error(`No form with ${marker} on the page`);
  return form;
}

/** The form's fields with `changes` applied: a value replaces every field of that name, null removes it. */
export function tamper(fields: Field[], changes: Record<string, string | string[] | null>): Field[] {
  const kept = fields.filter(([name]) => !(name in changes));
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) kept.push([name, v]);
  }
  return kept;
}

export function cookieHeader(sessionToken: string): Record<string, string> {
  return { cookie: `next-auth.session-token=${sessionToken}` };
}

export async function getHtml(request: APIRequestContext, path: string, headers: Record<string, string>) {
  const res = await request.get(path, { headers, maxRedirects: 0 });
  return { status: res.status(), html: await res.text() };
}

/** Posts fields (then the chosen submit button's own name/value, when it has one) as the browser would. */
export async function postForm(
  request: APIRequestContext,
  path: string,
  fields: Field[],
  headers: Record<string, string>,
  submitter?: Submitter,
): Promise<APIResponse> {
  const body = new FormData();
  for (const [name, value] of fields) body.append(name, value);
  if (submitter?.name) body.append(submitter.name, submitter.value);
  return request.post(path, {
    multipart: body,
    headers: { ...headers, origin: e2eEnv().APP_URL ?? "" },
    maxRedirects: 0,
  });
}

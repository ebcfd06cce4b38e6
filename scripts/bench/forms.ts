// Submits the app's forms the way a browser without JavaScript does: every field the server rendered
// in the form, posted as multipart to the page's own URL (React's progressive enhancement of actions).

export type NoJsForm = { fields: [string, string][] };

const ENTITY: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" };
const decode = (v: string) => v.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) => ENTITY[e] ?? _);

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name.replace("$", "\\$")}="([^"]*)"`).exec(tag);
  return m?.[1] === undefined ? undefined : decode(m[1]);
}

/** The form holding a submit button whose text matches `button`. */
export function findForm(html: string, button: RegExp): NoJsForm {
  for (const m of html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/g)) {
    const body = m[1] ?? "";
    const texts = [...body.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/g)].map((b) =>
      (b[1] ?? "").replace(/<[^>]+>/g, ""),
    );
    if (!texts.some((t) => button.test(t))) continue;
    const fields: [string, string][] = [];
    for (const input of body.matchAll(/<input\b[^>]*>/g)) {
      const tag = input[0];
      const name = attr(tag, "name");
      const type = attr(tag, "type") ?? "text";
      if (!name || (type === "checkbox" && !/\schecked(=|\s|\/|>)/.test(tag))) continue;
      fields.push([name, attr(tag, "value") ?? ""]);
    }
    return { fields };
  }
  throw new Error(`no form with a button matching ${button}`);
}

export function formBody(form: NoJsForm): FormData {
  const body = new FormData();
  for (const [name, value] of form.fields) body.append(name, value);
  return body;
}

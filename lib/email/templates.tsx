import { render } from "@react-email/render";
import { ReminderMail, type ReminderMailProps } from "./reminder-mail";
import { SignInMail, type SignInMailProps } from "./sign-in-mail";

// Plain data in, HTML and text out: the same call runs here or in render-worker.ts.
export type MailTemplates = { signIn: SignInMailProps; reminder: ReminderMailProps };
export type RenderedMail = { html: string; text: string };

// No wrapping: render.ts fills values into the text after rendering, and wrapping would depend on them.
const TEXT_OPTIONS = {
  wordwrap: false as const,
  selectors: [
    { selector: "ul", options: { itemPrefix: "- " } },
    { selector: "a", options: { hideLinkIfSameAsText: true } },
  ],
};

export async function renderTemplate<K extends keyof MailTemplates>(
  name: K,
  props: MailTemplates[K],
): Promise<RenderedMail> {
  const element =
    name === "signIn" ? (
      <SignInMail {...(props as SignInMailProps)} />
    ) : (
      <ReminderMail {...(props as ReminderMailProps)} />
    );
  const [html, text] = await Promise.all([
    render(element),
    render(element, { plainText: true, htmlToTextOptions: TEXT_OPTIONS }),
  ]);
  return { html, text };
}

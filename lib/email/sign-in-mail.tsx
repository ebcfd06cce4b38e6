import { Text } from "@react-email/text";
import { type MailBrand, MailButton, MailLayout, text } from "./layout";

export type SignInMailProps = { brand: MailBrand; link: string };

export function signInSubject(brand: MailBrand): string {
  return `Your sign-in link for ${brand.appName}`;
}

export function SignInMail({ brand, link }: SignInMailProps) {
  return (
    <MailLayout brand={brand} preview={`Sign in to ${brand.appName}: the link works once, for 15 minutes.`}>
      <Text style={{ ...text, fontSize: "20px", fontWeight: 700 }}>Sign in to {brand.appName}</Text>
      <Text style={text}>Press the button to sign in. No password needed.</Text>
      <MailButton href={link} color={brand.color}>
        Continue to sign in
      </MailButton>
      <Text style={text}>
        The link works once, for 15 minutes. If you did not ask for it, ignore this email: nothing happens
        until someone presses the button on the page it opens.
      </Text>
    </MailLayout>
  );
}

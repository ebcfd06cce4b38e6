import { Body } from "@react-email/body";
import { Container } from "@react-email/container";
import { Head } from "@react-email/head";
import { Hr } from "@react-email/hr";
import { Html } from "@react-email/html";
import { Img } from "@react-email/img";
import { Link } from "@react-email/link";
import { Preview } from "@react-email/preview";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import type { ReactNode } from "react";

/** What a mail needs of the deployer's brand; absolute URLs only (mail has no base address). */
export type MailBrand = {
  appName: string;
  appUrl: string;
  color: string;
  logoUrl: string | null;
  supportEmail: string;
  privacyUrl: string;
  termsUrl: string;
};

const font = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
export const text = { fontSize: "16px", lineHeight: "24px", color: "#18212b", margin: "0 0 16px" };
const small = { fontSize: "13px", lineHeight: "20px", color: "#4b5663", margin: "0 0 8px" };

export function MailLayout(props: {
  brand: MailBrand;
  preview: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const { brand } = props;
  return (
    <Html lang="en-GB">
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={{ backgroundColor: "#f7f8f7", fontFamily: font, margin: 0, padding: "24px 0" }}>
        <Container style={{ maxWidth: "560px", margin: "0 auto", padding: "0 12px" }}>
          <Section style={{ padding: "0 0 16px" }} data-skip-in-text="true">
            {brand.logoUrl ? (
              <Img
                src={brand.logoUrl}
                alt=""
                width="28"
                height="28"
                style={{ display: "inline-block", verticalAlign: "middle", marginRight: "8px" }}
              />
            ) : null}
            <Text
              style={{
                display: "inline-block",
                verticalAlign: "middle",
                margin: 0,
                fontSize: "18px",
                fontWeight: 700,
                color: brand.color,
              }}
            >
              {brand.appName}
            </Text>
          </Section>
          <Section
            style={{
              backgroundColor: "#ffffff",
              borderRadius: "12px",
              border: "1px solid #e5e7eb",
              borderTop: `4px solid ${brand.color}`,
              padding: "24px",
            }}
          >
            {props.children}
          </Section>
          <Hr style={{ borderColor: "#e5e7eb", margin: "24px 0 16px" }} />
          {props.footer}
          <Text style={small}>
            {brand.appName} ·{" "}
            <Link href={brand.privacyUrl} style={{ color: "#4b5663" }}>
              Privacy notice
            </Link>{" "}
            ·{" "}
            <Link href={brand.termsUrl} style={{ color: "#4b5663" }}>
              Terms
            </Link>{" "}
            · Questions?{" "}
            <Link href={`mailto:${brand.supportEmail}`} style={{ color: "#4b5663" }}>
              {brand.supportEmail}
            </Link>
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export function MailButton({ href, color, children }: { href: string; color: string; children: ReactNode }) {
  return (
    <Link
      href={href}
      style={{
        display: "inline-block",
        backgroundColor: color,
        color: "#ffffff",
        fontSize: "16px",
        fontWeight: 600,
        textDecoration: "none",
        borderRadius: "8px",
        padding: "12px 24px",
        margin: "8px 0 24px",
      }}
    >
      {children}
    </Link>
  );
}

export { small as smallText };

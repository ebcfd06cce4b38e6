import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { type MailBrand, MailButton, MailLayout, smallText, text } from "./layout";

export type ReminderMailProps = {
  brand: MailBrand;
  intro: string;
  lines: string[];
  outro: string;
  reconfirmUrl: string;
  unsubscribeUrl: string;
};

export function ReminderMail(props: ReminderMailProps) {
  const { brand } = props;
  return (
    <MailLayout
      brand={brand}
      preview={props.lines.join("; ")}
      footer={
        <Text style={smallText}>
          You get these emails because you share bank data through {brand.appName}.{" "}
          <Link href={props.unsubscribeUrl} style={{ color: "#4b5663" }}>
            Stop these reminder emails
          </Link>
        </Text>
      }
    >
      <Text style={text}>Hello,</Text>
      <Text style={text}>{props.intro}</Text>
      <ul style={{ ...text, paddingLeft: "20px" }}>
        {props.lines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines may repeat, and their order is fixed
          <li key={i} style={{ margin: "0 0 4px" }}>
            {line}
          </li>
        ))}
      </ul>
      <MailButton href={props.reconfirmUrl} color={brand.color}>
        Reconfirm now
      </MailButton>
      <Text style={{ ...text, margin: 0 }}>{props.outro}</Text>
    </MailLayout>
  );
}

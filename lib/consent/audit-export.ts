import "server-only";
import { type AuditCursor, auditPage, wordingTemplates } from "@/lib/connections/queries";
import {
  canonicalJson,
  HOW_TO_CHECK,
  rebuildWording,
  type StoredParameters,
  type WordingAccount,
} from "./wording";

// The operators' audit export: one row per connection per reconfirmation, as CSV or JSON Lines.

export type AuditFormat = "csv" | "jsonl";

export type AuditRow = {
  at: string;
  reconfirmation_id: string;
  connection_id: string;
  user: string | null;
  bank: string | null;
  provider_id: string | null;
  accounts: string | null;
  scopes: string;
  outcome: string | null;
  outcome_reason: string | null;
  wording_version: number | null;
  wording_hash: string;
  wording: string | null;
};

const COLUMNS: (keyof AuditRow)[] = [
  "at",
  "reconfirmation_id",
  "connection_id",
  "user",
  "bank",
  "provider_id",
  "accounts",
  "scopes",
  "outcome",
  "outcome_reason",
  "wording_version",
  "wording_hash",
  "wording",
];

const PAGE = 1000;

export async function* auditRows(range: { from: Date; to: Date }): AsyncGenerator<AuditRow> {
  const templates = await wordingTemplates();
  let after: AuditCursor | null = null;
  for (;;) {
    const page = await auditPage(range, after, PAGE);
    for (const r of page) {
      const accounts = (r.accounts ?? null) as Record<string, (WordingAccount & { id?: string })[]> | null;
      const template = r.wordingVersion === null ? undefined : templates.get(r.wordingVersion);
      const wording =
        template && r.parameters
          ? rebuildWording(template, r.parameters as StoredParameters, accounts)
          : null;
      yield {
        at: new Date(r.createdAt).toISOString(),
        reconfirmation_id: r.reconfirmationId,
        connection_id: r.connectionId,
        user: r.subject,
        bank: r.providerName,
        provider_id: r.providerId,
        accounts: accounts
          ? (accounts[r.connectionId] ?? [])
              .map((a) => (a.maskedNumber ? `${a.displayName} ${a.maskedNumber}` : a.displayName))
              .join("; ")
          : null,
        scopes: r.scopes.join(" "),
        outcome: r.outcome?.type ?? null,
        outcome_reason: r.outcome?.reason ?? null,
        wording_version: r.wordingVersion,
        wording_hash: r.copyHash,
        wording: wording ? canonicalJson(wording) : null,
      };
    }
    const last = page.at(-1);
    if (!last || page.length < PAGE) return;
    after = { createdAt: new Date(last.createdAt), itemId: last.itemId };
  }
}

// Names starting like a formula get a leading apostrophe (spreadsheets run them); the wording cell always starts with
// "{", so its hash check is unaffected.
export const csvCell = (value: unknown) => {
  const raw = value === null || value === undefined ? "" : String(value);
  const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export async function* auditLines(
  range: { from: Date; to: Date },
  format: AuditFormat,
): AsyncGenerator<string> {
  const about = { about: HOW_TO_CHECK, from: range.from.toISOString(), to: range.to.toISOString() };
  if (format === "jsonl") yield `${JSON.stringify(about)}\n`;
  else yield `# ${HOW_TO_CHECK}\n${COLUMNS.join(",")}\n`;
  for await (const row of auditRows(range)) {
    yield format === "jsonl"
      ? `${JSON.stringify(row)}\n`
      : `${COLUMNS.map((c) => csvCell(row[c])).join(",")}\n`;
  }
}

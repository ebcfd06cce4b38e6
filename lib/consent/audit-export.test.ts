import { Writable } from "node:stream";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { now } from "@/lib/clock";
import { getUserConnections } from "@/lib/connections/store/connections";
import { sha256Hex } from "@/lib/crypto/sha256";
import { createTestConnection, createTestUser } from "@/test/flows";
import { type Integration, startIntegration } from "@/test/integration";
import { WORDING_VERSION } from "./wording";

let it_: Integration;
let prisma: PrismaClient;
let lib: typeof import("./audit-command") &
  typeof import("./audit-export") &
  typeof import("./subject") &
  typeof import("@/lib/users/delete-account") &
  typeof import("@/lib/connections/reconfirm/workflow");

beforeAll(async () => {
  it_ = await startIntegration();
  prisma = it_.prisma;
  lib = {
    ...(await import("./audit-command")),
    ...(await import("./audit-export")),
    ...(await import("./subject")),
    ...(await import("@/lib/users/delete-account")),
    ...(await import("@/lib/connections/reconfirm/workflow")),
  };
});
afterAll(() => it_.close());

class Collect extends Writable {
  text = "";
  _write(chunk: Buffer, _: string, done: () => void) {
    this.text += chunk.toString("utf8");
    done();
  }
}

async function run(args: string[]) {
  const out = new Collect();
  const err = new Collect();
  const code = await lib.runAuditExport(args, out, err);
  return { code, out: out.text, err: err.text };
}

const today = () => now().toISOString().slice(0, 10);
const range = () => ({
  from: new Date(now().getTime() - 86_400_000),
  to: new Date(now().getTime() + 86_400_000),
});
type Row = Record<string, string | number | null>;

async function rowsFor(userReconfirmation: string) {
  const rows: Row[] = [];
  for await (const row of lib.auditRows(range()))
    if (row.reconfirmation_id === userReconfirmation) rows.push(row);
  return rows;
}

describe("the audit export", () => {
  it("has one row per connection per reconfirmation whose wording hashes to its hash, and keeps bank and hash after deletion", async () => {
    const user = await createTestUser("Ada Lovelace");
    const a = await createTestConnection(it_, user.id, "eternal");
    const b = await createTestConnection(it_, user.id, "eternal");
    const shown = await getUserConnections(user.id, [a.id, b.id]);
    const hash = lib.copyFor(shown, now()).hash;
    const result = await lib.reconfirmConnections(
      { connectionId: [a.id, b.id], shownConnectionId: [a.id, b.id], copyHash: hash },
      user.id,
    );
    if (result.kind !== "finished") throw new Error(result.kind);

    const rows = await rowsFor(result.reconfirmationId);
    expect(rows.map((r) => r.connection_id).sort()).toEqual([a.id, b.id].sort());
    for (const row of rows) {
      expect(row).toMatchObject({
        user: lib.consentSubject(user.email ?? ""),
        bank: a.providerName,
        outcome: "EXTENDED",
        wording_version: WORDING_VERSION,
        wording_hash: hash,
      });
      expect(sha256Hex(String(row.wording))).toBe(row.wording_hash);
      expect(String(row.accounts).length).toBeGreaterThan(0);
      expect(String(row.scopes)).toContain("accounts");
    }

    await lib.deleteAccount(user.id);
    const after = await rowsFor(result.reconfirmationId);
    expect(after).toHaveLength(2);
    for (const row of after) {
      expect(row).toMatchObject({
        user: rows[0]?.user,
        bank: a.providerName,
        wording_hash: hash,
        outcome: "EXTENDED",
      });
      expect(row.accounts).toBeNull();
      expect(row.wording).toBeNull();
      expect(JSON.stringify(row)).not.toContain(user.email ?? "-");
    }
  });

  it("is refused to anyone but an operator, and writes CSV or JSON Lines that begin with how to check a row", async () => {
    const plain = await createTestUser();
    const operator = await prisma.user.create({
      data: { email: "ops@example.test", name: "Op", role: "OPERATOR" },
    });
    const args = ["--from", today(), "--to", today()];

    expect(await run(args)).toMatchObject({ code: 2, out: "" });
    expect(await run([...args, "--operator", plain.email ?? ""])).toMatchObject({ code: 1, out: "" });
    expect(await run([...args, "--operator", "nobody@example.test"])).toMatchObject({ code: 1, out: "" });

    const csv = await run([...args, "--operator", "OPS@example.test"]);
    expect(csv.code).toBe(0);
    const [about, header] = csv.out.split("\n");
    expect(about).toMatch(/^# Each row's wording is the exact consent text/);
    expect(header).toBe(
      "at,reconfirmation_id,connection_id,user,bank,provider_id,accounts,scopes,outcome,outcome_reason,wording_version,wording_hash,wording",
    );
    const jsonl = await run([...args, "--operator", operator.email ?? "", "--format", "jsonl"]);
    const lines = jsonl.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0].about).toContain("sha256sum");
    expect(lines.length).toBeGreaterThan(1);
    expect(
      await run(["--from", today(), "--to", "2020-01-01", "--operator", operator.email ?? ""]),
    ).toMatchObject({
      code: 2,
    });
  });
});

describe("CSV cells", () => {
  it("quote what needs quoting and defuse what a spreadsheet would run as a formula", () => {
    expect(lib.csvCell('a "b", c')).toBe('"a ""b"", c"');
    for (const formula of ['=HYPERLINK("x")', "+1", "-1+2", "@SUM(A1)"]) {
      expect(lib.csvCell(formula).replace(/^"/, "").startsWith("'")).toBe(true);
    }
    expect(lib.csvCell('{"heading":"x"}')).toBe('"{""heading"":""x""}"');
    expect(lib.csvCell(null)).toBe("");
  });
});

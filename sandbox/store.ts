import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { type Client, emptyState, type State, StateSchema } from "./state";

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Holds all simulator state; persists it as one JSON document written via temp file + rename. */
export class Store {
  state: State;

  constructor(
    private readonly dataFile: string | null,
    initial: State = emptyState(),
  ) {
    this.state = initial;
  }

  static open(dataFile: string | null): Store {
    if (dataFile === null || !existsSync(dataFile)) return new Store(dataFile);
    const parsed = StateSchema.safeParse(JSON.parse(readFileSync(dataFile, "utf8")));
    if (!parsed.success) {
      throw new Error(`sandbox data file ${dataFile} is not valid: ${parsed.error.message}`);
    }
    return new Store(dataFile, parsed.data);
  }

  save(): void {
    if (this.dataFile === null) return;
    mkdirSync(dirname(this.dataFile), { recursive: true });
    const temp = `${this.dataFile}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.state));
    renameSync(temp, this.dataFile);
  }

  /** Each client id has its own clock so parallel tests cannot disturb each other. */
  now(clientId: string): number {
    return Date.now() + (this.state.clockOffsets[clientId] ?? 0);
  }

  setClockOffset(clientId: string, offsetMs: number): void {
    this.state.clockOffsets[clientId] = offsetMs;
  }

  client(clientId: string | undefined | null): Client | undefined {
    return clientId ? this.state.clients[clientId] : undefined;
  }

  upsertClient(client: Client): void {
    this.state.clients[client.clientId] = client;
  }

  /** Forgets everything a client did (or everything, keeping registered clients). */
  reset(clientId?: string): void {
    if (clientId === undefined) {
      this.state = { ...emptyState(), clients: this.state.clients };
      return;
    }
    const s = this.state;
    delete s.clockOffsets[clientId];
    s.links = dropWhere(s.links, (owner) => owner === clientId);
    s.dialogs = dropWhere(s.dialogs, (d) => d.clientId === clientId);
    s.codes = dropWhere(s.codes, (c) => c.clientId === clientId);
    s.connections = dropWhere(s.connections, (c) => c.clientId === clientId);
    s.accessTokens = dropWhere(s.accessTokens, (t) => t.clientId === clientId);
    s.reauths = dropWhere(s.reauths, (r) => r.clientId === clientId);
  }
}

function dropWhere<T>(record: Record<string, T>, drop: (value: T) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => !drop(value)));
}

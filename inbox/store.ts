import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

export type Message = {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  date: string;
  headers?: string;
};

const MAX_MESSAGES = 500;

/** The inbox's messages, newest first, optionally kept in a JSON file across restarts. */
export class MessageStore {
  private messages: Message[] = [];

  constructor(private readonly dataFile: string | null = null) {
    if (dataFile && existsSync(dataFile)) {
      try {
        const saved: unknown = JSON.parse(readFileSync(dataFile, "utf8"));
        if (Array.isArray(saved)) this.messages = saved as Message[];
      } catch {
        process.stderr.write(`[inbox] ignoring unreadable ${dataFile}\n`);
      }
    }
  }

  add(message: Omit<Message, "id">): Message {
    const stored = { ...message, id: randomUUID() };
    this.messages = [stored, ...this.messages].slice(0, MAX_MESSAGES);
    this.save();
    return stored;
  }

  /** Newest first; `to` matches any recipient, ignoring case. */
  list(to?: string | null): Message[] {
    if (!to) return [...this.messages];
    const wanted = to.trim().toLowerCase();
    return this.messages.filter((m) => m.to.some((address) => address.toLowerCase() === wanted));
  }

  get(id: string): Message | undefined {
    return this.messages.find((m) => m.id === id);
  }

  clear(): void {
    this.messages = [];
    this.save();
  }

  private save(): void {
    if (!this.dataFile) return;
    mkdirSync(path.dirname(this.dataFile), { recursive: true });
    const temporary = `${this.dataFile}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.messages));
    renameSync(temporary, this.dataFile);
  }
}

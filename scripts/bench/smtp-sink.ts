import { SMTPServer } from "smtp-server";

// A local SMTP server that discards mail but counts each recipient and the time some mail was in flight.
export function startSink() {
  const recipients = new Map<string, number>();
  let busy = 0;
  let busySince = 0;
  let inFlightMs = 0;
  const done = () => {
    busy -= 1;
    if (busy === 0) inFlightMs += performance.now() - busySince;
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (busy === 0) busySince = performance.now();
      busy += 1;
      callback();
    },
    onData(stream, session, callback) {
      stream.on("end", () => {
        for (const r of session.envelope.rcptTo)
          recipients.set(r.address, (recipients.get(r.address) ?? 0) + 1);
        done();
        callback();
      });
      stream.resume();
    },
  });
  return {
    async listen(): Promise<number> {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const address = server.server.address();
      if (!address || typeof address === "string") throw new Error("SMTP sink has no port");
      return address.port;
    },
    reset() {
      recipients.clear();
      inFlightMs = 0;
    },
    counts: () => ({ recipients: new Map(recipients), inFlightMs }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// One line per event, timestamped, to stdout (PM2, systemd and Docker all collect it).
export type Log = (line: string) => void;

export function createLog(label = 'scheduler', write: (text: string) => void = (t) => process.stdout.write(t)): Log {
  return (line) => write(`${new Date().toISOString()} ${label}: ${line}\n`);
}

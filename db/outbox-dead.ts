// Dead letters: outbox entries that PostgreSQL refused for what they hold (not because it was
// away), each moved to `<stateDir>/outbox/dead/<run>.jsonl` with its reason, so that one bad
// entry never holds back the others and nothing is dropped without a trace. A line is
// `{"at":"<ISO time>","reason":"<why>","line":"<the original outbox line>"}`; fixing the line
// and appending it to a file in outbox/ queues it again.
import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const deadLetterDir = (stateDir: string): string => join(stateDir, 'outbox', 'dead');

export type DeadLetter = { line: string; reason: string };

export async function writeDeadLetters(stateDir: string, fileName: string, letters: DeadLetter[]): Promise<void> {
  if (!letters.length) return;
  await mkdir(deadLetterDir(stateDir), { recursive: true });
  const at = new Date().toISOString();
  await appendFile(
    join(deadLetterDir(stateDir), fileName),
    letters.map((l) => `${JSON.stringify({ at, reason: l.reason, line: l.line })}\n`).join(''),
  );
}

export type DeadLetterRecord = { at: string; reason: string; line: string; file: string };

/** Every dead letter, oldest file first (status pages and tests). */
export async function readDeadLetters(stateDir: string): Promise<DeadLetterRecord[]> {
  const dir = deadLetterDir(stateDir);
  const out: DeadLetterRecord[] = [];
  for (const file of (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.jsonl')).sort()) {
    const text = await readFile(join(dir, file), 'utf8').catch(() => '');
    for (const line of text.split('\n').filter(Boolean)) {
      try {
        const r = JSON.parse(line) as { at?: string; reason?: string; line?: string };
        out.push({ at: String(r.at ?? ''), reason: String(r.reason ?? ''), line: String(r.line ?? ''), file });
      } catch {
        out.push({ at: '', reason: 'unreadable dead letter', line, file });
      }
    }
  }
  return out;
}

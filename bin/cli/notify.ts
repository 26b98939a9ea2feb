import { parseCommand } from './args.ts';
import { repoPath, runNodeScript } from './node-script.ts';

const help = `
usage: workflow-monitor notify test [--json]

Sends a test message through every configured channel (Slack, Discord, Teams, webhook, email,
PagerDuty) and prints one line per channel. Exit 0 when all arrived, 1 otherwise, 2 on bad
configuration. --json prints the results as JSON.
`;

export default async function notify(args: string[]): Promise<number> {
  const parsed = parseCommand(args, { json: { type: 'boolean' } }, help);
  if (parsed === null) return 0;
  if (parsed === 'error') return 1;
  if (parsed.positionals[0] !== 'test' || parsed.positionals.length !== 1) {
    process.stderr.write(help.trimStart());
    return 1;
  }
  return runNodeScript(repoPath('bin', 'send-test-notifications.ts'), parsed.values.json ? ['--json'] : []);
}

// `npm run test:notifications`: a test message through every configured channel, one line per
// channel. Exit 0 when all arrived, 1 when any did not (or none is configured), 2 on bad
// configuration. Not named test-*.ts: `node --test` would take it for a test file.
import { loadChannelConfig } from '../notifiers/config.ts';
import { createNotifier } from '../notifiers/delivery/deliver.ts';
import { formatResultsTable } from '../notifiers/results-table.ts';
import { loadDotEnv } from '../config/dotenv.ts';
import { processEnv } from '../config/env.ts';
import { runScriptMain } from './cli/script-main.ts';

loadDotEnv();

const label = 'test:notifications';
const json = process.argv.includes('--json');

async function main(): Promise<number> {
  const config = loadChannelConfig(processEnv());
  if (!config.ok) {
    for (const line of config.problems) process.stderr.write(`${label}: configuration error: ${line}\n`);
    return 2;
  }
  if (config.channels.length === 0) {
    process.stderr.write(
      `${label}: no channel is configured. Set at least one of SLACK_WEBHOOK_URL, DISCORD_WEBHOOK_URL, ` +
        'TEAMS_WEBHOOK_URL, ALERT_WEBHOOK_URL, SMTP_HOST (with SMTP_FROM and SMTP_TO) or PAGERDUTY_ROUTING_KEY.\n',
    );
    return 1;
  }
  if (!json) process.stdout.write(`Sending a test message to ${config.channels.map((c) => c.type).join(', ')}…\n\n`);
  // The table says what went wrong; warning lines would only repeat it.
  const notifier = createNotifier({ channels: config.channels, options: config.options, warn: () => undefined });
  const results = await notifier.testAllChannels();
  const failed = results.filter((r) => r.outcome === 'failed' || r.outcome === 'throttled');
  if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else
    process.stdout.write(
      `${formatResultsTable(results)}\n\n${results.length - failed.length} passed, ${failed.length} failed\n`,
    );
  return failed.length > 0 ? 1 : 0;
}

await runScriptMain(label, main);

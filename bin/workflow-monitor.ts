#!/usr/bin/env node
// `workflow-monitor <command>`: one entry point for everything an operator does. Each command
// lives in bin/cli/<command>.ts and is loaded only when used, so `--help` stays instant.
import { ConfigError, exitOnConfigError } from '../config/parse-env.ts';
import { commands, printUsage } from './cli/commands.ts';

const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h' || name === 'help') {
  printUsage();
  process.exit(name ? 0 : 1);
}
const command = commands[name];
if (!command) {
  process.stderr.write(`workflow-monitor: unknown command "${name}"\n\n`);
  printUsage(process.stderr);
  process.exit(1);
}
try {
  const code = await (await command.load())(rest);
  if (typeof code === 'number') process.exitCode = code;
} catch (error) {
  // A command that fails says why in one line (a database it cannot reach names DATABASE_URL,
  // password redacted): no stack trace for an operator to read through.
  if (error instanceof ConfigError) exitOnConfigError(error, `workflow-monitor ${name}`);
  process.stderr.write(
    `workflow-monitor ${name}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`,
  );
  process.exitCode = 1;
}

#!/usr/bin/env node
// `workflow-monitor <command>`: one entry point for everything an operator does. Each command
// lives in bin/cli/<command>.ts and is loaded only when used, so `--help` stays instant.
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
const code = await (await command.load())(rest);
if (typeof code === 'number') process.exitCode = code;

// Argument parsing shared by the commands: node:util parseArgs plus a uniform --help.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Parsed<O extends NonNullable<ParseArgsConfig['options']>> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; args: string[] }>
>;

/** Parses `args`; prints `help` and returns null on --help; prints the error and returns 'error' on bad usage. */
export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
  help: string,
): Parsed<O> | null | 'error' {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${help.trim()}\n`);
    return null;
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${help.trim()}\n`);
    return 'error';
  }
}

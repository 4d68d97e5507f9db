import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { CliError, EXIT, type CliIo } from './context.js';
import { registerFlush } from './flush.js';
import { registerKeys } from './keys.js';
import { registerStatus } from './status.js';
import { registerMcp } from './mcp.js';

/**
 * `remembr <command>`: the operator's tools, reading the same environment as the service. Each command lives in
 * its own file and registers itself here; `run` turns every outcome into an exit code.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const done = (code: number) => {
    exitCode = code;
  };
  const program = new Command('remembr')
    .description('Operate a Remembr deployment: the Redis it uses, its keys, its health')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });
  registerStatus(program, io, done);
  registerKeys(program, io, done);
  registerFlush(program, io, done);
  registerMcp(program, io, done);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here too, successfully.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliError) {
      io.err(`remembr: ${err.message}\n`);
      return err.exitCode;
    }
    io.err(`remembr: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.unhealthy;
  }
}

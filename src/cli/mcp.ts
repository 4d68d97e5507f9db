import type { Command } from 'commander';
import { ValidationError } from '../errors.js';
import { createLogger } from '../observability/logger.js';
import { VERSION } from '../version.js';
import { CliError, configFrom, EXIT, type CliIo } from './context.js';

/**
 * `remembr mcp`: the MCP tools on stdin/stdout for a desktop agent host, with the service's environment
 * (REDIS_URL, REMEMBR_API_KEYS, …) and REMEMBR_API_KEY naming the user. The integration is loaded only here, so
 * the other commands run without its optional dependencies.
 */
export function registerMcp(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('mcp')
    .description('serve the MCP tools over stdio, as the user of REMEMBR_API_KEY')
    .action(async () => {
      const config = configFrom(io);
      let mcp: typeof import('../mcp/index.js');
      try {
        mcp = await import('../mcp/index.js');
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
          throw new CliError('remembr mcp needs @modelcontextprotocol/sdk and zod: npm install @modelcontextprotocol/sdk zod', EXIT.usage);
        }
        throw err;
      }
      // stdout carries the protocol: every log line goes to stderr.
      const logger = createLogger({ level: config.logLevel, destination: process.stderr });
      try {
        await mcp.serveStdio({ config, apiKey: io.env.REMEMBR_API_KEY, version: VERSION, logger });
      } catch (err) {
        if (err instanceof ValidationError) throw new CliError(err.message, EXIT.usage);
        throw err;
      }
      done(EXIT.ok);
    });
}

import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createRemembr, ValidationError, type Config, type Logger } from '../index.js';
import { createMcpServer } from './tools.js';
import { userForKey } from './users.js';

export interface StdioOptions {
  config: Config;
  /** The key the agent host was given (REMEMBR_API_KEY); it picks the user, as a REST key does. */
  apiKey: string | undefined;
  version: string;
  /** Never stdout: on stdio that is the protocol's channel. */
  logger: Logger;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/**
 * Serves the MCP tools on stdin/stdout for a desktop agent host, as the user whose key is REMEMBR_API_KEY, until
 * the host closes stdin. Rejects with ValidationError, before answering anything, when the key is missing or wrong.
 */
export async function serveStdio(options: StdioOptions): Promise<void> {
  const { config, logger } = options;
  const userId = userForKey(config.apiKeys, options.apiKey);
  if (userId === undefined) {
    throw new ValidationError(
      options.apiKey === undefined
        ? 'REMEMBR_API_KEY is not set: with REMEMBR_API_KEYS configured, the MCP server needs the key of the user it acts for'
        : 'REMEMBR_API_KEY does not match any key of REMEMBR_API_KEYS',
      'REMEMBR_API_KEY',
    );
  }
  if (!config.redisUrl) logger.warn('REDIS_URL is not set: the MCP server keeps its data in this process only');
  const remembr = await createRemembr({ ...config, logger });
  try {
    const server = createMcpServer(remembr, userId, {
      version: options.version,
      onError: (err, tool) => logger.error({ err, tool }, 'MCP tool failed'),
    });
    const transport = new StdioServerTransport(options.input as never, options.output as never);
    const closed = new Promise<void>((resolve) => {
      server.onclose = resolve;
      // The host closing stdin is the end of the session.
      (options.input ?? process.stdin).once('end', () => void server.close());
    });
    await server.connect(transport);
    logger.info({ userId }, 'MCP server on stdio');
    await closed;
  } finally {
    await remembr.close();
  }
}

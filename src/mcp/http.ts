import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Remembr } from '../index.js';
import { createMcpServer, type McpServerOptions } from './tools.js';

/**
 * One Streamable HTTP request, stateless: a fresh server and transport per POST, acting as the caller the shell
 * has already authenticated. Nothing is kept between requests, so any instance behind a load balancer can answer
 * any of them and one user's requests never meet another's server. Answers are JSON, not an SSE stream: every
 * tool answers at once.
 */
export async function handleMcpHttp(
  remembr: Remembr,
  userId: string,
  request: Request,
  parsedBody: unknown,
  options: McpServerOptions,
): Promise<Response> {
  const server = createMcpServer(remembr, userId, options);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request, { parsedBody });
  } finally {
    await server.close();
  }
}

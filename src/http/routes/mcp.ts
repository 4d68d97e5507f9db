import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { VERSION } from '../../version.js';

type McpModule = typeof import('../../mcp/index.js');

/**
 * Loads the MCP integration if its optional dependencies are installed. The service starts without them
 * (`npm ci --omit=optional` or a slim image): /mcp is then simply not mounted, and the log says why.
 */
async function loadMcp(): Promise<McpModule | undefined> {
  try {
    return await import('../../mcp/index.js');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && /@modelcontextprotocol|zod/.test(String((err as Error).message))) return undefined;
    throw err;
  }
}

/** The request as the web-standard Request the SDK's transport reads (the body is handed over already parsed). */
function toWebRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  return new Request(new URL(request.url, 'http://remembr.local'), { method: request.method, headers });
}

/**
 * `/mcp`: the Model Context Protocol over Streamable HTTP (stateless, JSON answers). Registered inside the scope
 * that authenticates and rate-limits, so each request acts as its key's user exactly as on /api/v1.
 */
export const mcpRoutes: FastifyPluginAsync = async (app) => {
  const mcp = await loadMcp();
  if (!mcp) {
    app.log.info('MCP endpoint not mounted: @modelcontextprotocol/sdk and zod are not installed');
    return;
  }
  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/mcp',
    schema: { hide: true },
    handler: async (request, reply) => {
      const response = await mcp.handleMcpHttp(app.remembr, request.caller.userId, toWebRequest(request), request.body, {
        version: VERSION,
        onError: (err, tool) => request.log.error({ err, tool }, 'MCP tool failed'),
      });
      reply.code(response.status);
      response.headers.forEach((value, name) => void reply.header(name, value));
      return reply.send(Buffer.from(await response.arrayBuffer()));
    },
  });
};

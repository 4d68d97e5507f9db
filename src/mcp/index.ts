/**
 * `remembr/mcp`: Remembr's tools for agents over the Model Context Protocol. Needs the optional peer dependencies
 * `@modelcontextprotocol/sdk` (1.x) and `zod`; `import … from 'remembr'` never loads them. The service mounts the
 * Streamable HTTP transport at /mcp; `npx remembr mcp` serves stdio.
 */
export { createMcpServer, toToolError } from './tools.js';
export type { McpServerOptions, ToolErrorCode } from './tools.js';
export { serveStdio } from './stdio.js';
export type { StdioOptions } from './stdio.js';
export { handleMcpHttp } from './http.js';
export { userForKey, LOCAL_USER } from './users.js';

import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  CapacityError,
  ConflictError,
  MESSAGE_ROLES,
  NotInitializedError,
  OutcomeUnknownError,
  StoreError,
  TOKEN_ENCODINGS,
  ValidationError,
  type MessageContent,
  type Remembr,
} from '../index.js';

/**
 * The tools an agent uses for its short-term state, over MCP. Every tool acts as one user, fixed when the server
 * is made (the key that opened the connection), exactly as a REST call acts as its key's user: another user's
 * session is indistinguishable from a missing one.
 *
 * The low-level Server is used rather than McpServer so that a bad argument comes back as a tool error carrying
 * the same envelope as the REST API (`{"error":{"code":"VALIDATION_ERROR",…}}`), not as the SDK's bare text.
 */

/** The error codes of the REST envelope that a tool can answer with. */
export type ToolErrorCode =
  | 'VALIDATION_ERROR'
  | 'NOT_FOUND'
  | 'CAPACITY_EXCEEDED'
  | 'CONFLICT'
  | 'SERVICE_UNAVAILABLE'
  | 'OUTCOME_UNKNOWN'
  | 'INTERNAL_ERROR';

/** A tool's failure that says what went wrong in the envelope's terms. */
class ToolError extends Error {
  constructor(
    readonly code: ToolErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const notFound = (what: string) => new ToolError('NOT_FOUND', `${what} not found`);

const Id = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_\-.]{1,128}$/, "1 to 128 letters, digits, '_', '-' or '.'")
    // The library's rule (assertId): a URL rewrites "." and "..", so what an agent wrote under one over MCP could
    // never be read back over HTTP.
    .refine((id) => id !== '.' && id !== '..', 'must not be "." or ".."')
    .describe(what);

interface ToolDefinition<Shape extends z.ZodRawShape> {
  name: string;
  description: string;
  input: Shape;
  /** Whether calling it twice changes nothing more than calling it once (MCP's idempotentHint). */
  readOnly?: boolean;
  run(args: z.infer<z.ZodObject<Shape>>, userId: string): Promise<unknown>;
}

function tool<Shape extends z.ZodRawShape>(definition: ToolDefinition<Shape>): ToolDefinition<z.ZodRawShape> {
  return definition as unknown as ToolDefinition<z.ZodRawShape>;
}

/** camelCase fields of the core's results as the REST API's snake_case. */
function snake(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snake);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
      key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
      // Metadata and task results are the caller's own JSON: returned as given.
      key === 'metadata' || key === 'result' ? inner : snake(inner),
    ]),
  );
}

function defineTools(remembr: Remembr): Array<ToolDefinition<z.ZodRawShape>> {
  const { sessions, memory, tasks } = remembr;
  const sessionId = Id('The session');
  return [
    tool({
      name: 'session_create',
      description: 'Start a session for an agent. Returns its session_id and how many seconds it lives unless refreshed.',
      input: {
        agent_id: Id('The agent the session belongs to'),
        metadata: z.record(z.string(), z.unknown()).optional().describe('Any JSON object to keep with the session'),
        token_encoding: z.enum(TOKEN_ENCODINGS).optional().describe("The encoding the session's window counts tokens in (default: the service's TOKEN_ENCODING)"),
      },
      run: async ({ agent_id, metadata, token_encoding }, userId) =>
        snake(await sessions.create(userId, { agentId: agent_id, metadata, tokenEncoding: token_encoding })),
    }),
    tool({
      name: 'session_patch',
      description:
        "Change a session's metadata with a JSON Merge Patch (RFC 7386), atomically: a member set to null is removed, an object merges member by member, anything else replaces the member. Returns the session.",
      input: {
        session_id: sessionId,
        metadata: z.record(z.string(), z.unknown()).describe('The merge patch of the metadata, e.g. {"step": 2, "draft": null}'),
      },
      run: async ({ session_id, metadata }, userId) => snake((await sessions.patchMetadata(userId, session_id, metadata)) ?? throwing(notFound('Session'))),
    }),
    tool({
      name: 'session_get',
      description: 'Read a session and the seconds it has left.',
      input: { session_id: sessionId },
      readOnly: true,
      run: async ({ session_id }, userId) => snake((await sessions.get(userId, session_id)) ?? throwing(notFound('Session'))),
    }),
    tool({
      name: 'session_list',
      description: "List this user's live sessions, soonest to expire first.",
      input: {},
      readOnly: true,
      run: async (_args, userId) => ({ sessions: snake(await sessions.list(userId)) }),
    }),
    tool({
      name: 'session_delete',
      description: 'Delete a session with its messages and checkpoints.',
      input: { session_id: sessionId },
      run: async ({ session_id }, userId) => {
        if (!(await sessions.delete(userId, session_id))) throw notFound('Session');
        return { deleted: true };
      },
    }),
    tool({
      name: 'messages_append',
      description:
        "Append a message to a session's short-term window. The oldest non-system messages are evicted to stay within the token budget (an assistant message with its tool results as one); the evicted ids are returned. While an assistant message's tool calls wait, only tool messages answering them are accepted.",
      input: {
        session_id: sessionId,
        role: z.enum(MESSAGE_ROLES).describe('Who said it'),
        content: z
          .union([z.string(), z.null(), z.array(z.record(z.string(), z.unknown()))])
          .describe('Text, an array of content parts (text, image_url, file), or null on an assistant message that only calls tools'),
        tool_calls: z
          .array(z.strictObject({ id: z.string(), name: z.string(), arguments: z.string().describe('JSON text') }))
          .optional()
          .describe('Assistant messages: the tools it asks to call'),
        tool_call_id: z.string().optional().describe('Tool messages: the call this result answers'),
        name: z.string().optional().describe('An optional participant name'),
      },
      run: async ({ session_id, role, content, tool_calls, tool_call_id, name }, userId) =>
        snake(
          (await memory.append(userId, session_id, {
            role,
            content: content as MessageContent,
            ...(tool_calls ? { toolCalls: tool_calls } : {}),
            ...(tool_call_id !== undefined ? { toolCallId: tool_call_id } : {}),
            ...(name !== undefined ? { name } : {}),
          })) ?? throwing(notFound('Session')),
        ),
    }),
    tool({
      name: 'messages_read',
      description: "Read a session's short-term window, oldest message first, with its token usage.",
      input: { session_id: sessionId },
      readOnly: true,
      run: async ({ session_id }, userId) => snake((await memory.read(userId, session_id)) ?? throwing(notFound('Session'))),
    }),
    tool({
      name: 'context_read',
      description:
        "What to send a model for this session: its running summary of evicted turns (null until one is committed), then the window's messages, within the token budget.",
      input: { session_id: sessionId },
      readOnly: true,
      run: async ({ session_id }, userId) => {
        const window = (await memory.read(userId, session_id)) ?? throwing(notFound('Session'));
        return snake({ summary: window.summary, messages: window.messages, tokenUsage: window.tokenUsage });
      },
    }),
    tool({
      name: 'checkpoint_create',
      description: "Save a session's window as it is now, to restore later.",
      input: { session_id: sessionId },
      run: async ({ session_id }, userId) => snake((await memory.checkpoint(userId, session_id)) ?? throwing(notFound('Session'))),
    }),
    tool({
      name: 'checkpoint_list',
      description: "List a session's checkpoints, oldest first.",
      input: { session_id: sessionId },
      readOnly: true,
      run: async ({ session_id }, userId) => ({
        checkpoints: snake((await memory.listCheckpoints(userId, session_id)) ?? throwing(notFound('Session'))),
      }),
    }),
    tool({
      name: 'checkpoint_restore',
      description: "Replace a session's window with a checkpoint, in one step.",
      input: { session_id: sessionId, checkpoint_id: Id('A checkpoint of this session') },
      run: async ({ session_id, checkpoint_id }, userId) =>
        snake((await memory.restore(userId, session_id, checkpoint_id)) ?? throwing(notFound('Session or checkpoint'))),
    }),
    tool({
      name: 'task_put',
      description: "Store a task's result (any JSON value) for a while; storing again replaces it.",
      input: {
        task_id: Id('The task'),
        result: z.unknown().refine((value) => value !== undefined, 'result is required: any JSON value, null included'),
        ttl_seconds: z.number().int().positive().optional().describe('How long to keep it (default 1800)'),
      },
      run: async ({ task_id, result, ttl_seconds }, userId) => snake(await tasks.put(userId, task_id, result, ttl_seconds)),
    }),
    tool({
      name: 'task_peek',
      description: "Read a task's result and leave it in place.",
      input: { task_id: Id('The task') },
      readOnly: true,
      run: async ({ task_id }, userId) => snake((await tasks.peek(userId, task_id)) ?? throwing(notFound('Task result'))),
    }),
    tool({
      name: 'task_take',
      description: "Read a task's result and remove it in the same step: of several takers exactly one receives it.",
      input: { task_id: Id('The task') },
      run: async ({ task_id }, userId) => snake((await tasks.take(userId, task_id)) ?? throwing(notFound('Task result'))),
    }),
  ];
}

function throwing(error: Error): never {
  throw error;
}

/** What a thrown error becomes: an envelope code and a message safe to show (no store address, no secret). */
export function toToolError(err: unknown): ToolError {
  if (err instanceof ToolError) return err;
  if (err instanceof ValidationError) return new ToolError('VALIDATION_ERROR', err.message, err.field ? [{ field: err.field }] : undefined);
  if (err instanceof CapacityError) return new ToolError('CAPACITY_EXCEEDED', err.message);
  if (err instanceof ConflictError) return new ToolError('CONFLICT', err.message, err.field ? [{ field: err.field }] : undefined);
  if (err instanceof OutcomeUnknownError) {
    return new ToolError('OUTCOME_UNKNOWN', 'The store did not answer in time: the change may or may not have been applied. Read before retrying.');
  }
  if (err instanceof StoreError || err instanceof NotInitializedError) {
    return new ToolError('SERVICE_UNAVAILABLE', 'The store is unavailable; nothing was changed. Retry shortly.');
  }
  return new ToolError('INTERNAL_ERROR', 'Internal error');
}

function errorResult(error: ToolError): CallToolResult {
  const body = { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
  return { isError: true, content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body };
}

function describeIssues(error: z.ZodError): { message: string; details: Array<{ field: string; message: string }> } {
  const details = error.issues.map((issue) => ({ field: issue.path.join('.') || 'arguments', message: issue.message }));
  return { message: details.map(({ field, message }) => `${field}: ${message}`).join('; '), details };
}

export interface McpServerOptions {
  /** Reported to the client as the server's version. */
  version: string;
  /** Called with each failure that is not the caller's fault (a bug or the store), for the log. */
  onError?: (err: unknown, toolName: string) => void;
}

/** An MCP server whose tools act as `userId` on `remembr`'s services. Connect it to any transport. */
export function createMcpServer(remembr: Remembr, userId: string, options: McpServerOptions): Server {
  const tools = defineTools(remembr);
  const byName = new Map(tools.map((definition) => [definition.name, { definition, schema: z.strictObject(definition.input) }]));
  const listing: Tool[] = [...byName.values()].map(({ definition, schema }) => ({
    name: definition.name,
    description: definition.description,
    inputSchema: z.toJSONSchema(schema, { io: 'input' }) as Tool['inputSchema'],
    annotations: { readOnlyHint: definition.readOnly ?? false },
  }));

  const server = new Server({ name: 'remembr', version: options.version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listing }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const found = byName.get(request.params.name);
    if (!found) {
      return errorResult(new ToolError('NOT_FOUND', `No tool named ${JSON.stringify(request.params.name)}; tools/list names them`));
    }
    const parsed = found.schema.safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      const { message, details } = describeIssues(parsed.error);
      return errorResult(new ToolError('VALIDATION_ERROR', message, details));
    }
    try {
      const result = (await found.definition.run(parsed.data, userId)) as Record<string, unknown>;
      return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
    } catch (err) {
      const error = toToolError(err);
      if (error.code === 'INTERNAL_ERROR' || error.code === 'SERVICE_UNAVAILABLE' || error.code === 'OUTCOME_UNKNOWN') {
        options.onError?.(err, found.definition.name);
      }
      return errorResult(error);
    }
  });
  return server;
}

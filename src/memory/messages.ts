import { ValidationError } from '../errors.js';

/*
 * Messages as agent loops write them (OpenAI Chat Completions, Anthropic Messages, LangChain, the AI SDK): a role,
 * content that is a string or an array of parts, tool calls on assistant messages and the call a tool message
 * answers. This module owns their shape: validation, what is counted as tokens, and the Chat Completions form.
 */

export const MESSAGE_ROLES = ['system', 'user', 'assistant', 'tool'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export const IMAGE_DETAILS = ['auto', 'low', 'high'] as const;

/** A piece of multi-part content. Text is counted as tokens; images and files are not (their cost is the model's). */
export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: (typeof IMAGE_DETAILS)[number] } }
  | { type: 'file'; file: { file_id: string; filename?: string } };
export const CONTENT_PART_TYPES = ['text', 'image_url', 'file'] as const;

/** `content` may be null only on an assistant message that makes tool calls, as OpenAI sends it. */
export type MessageContent = string | ContentPart[] | null;

/** A call an assistant message asks a tool to make; `arguments` is a JSON text, as OpenAI sends it. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** Free data of the caller's that travels with a message and is never sent to a model. */
export type MessageMetadata = Record<string, unknown>;

/** What a caller appends. */
export interface MessageInput {
  role: MessageRole;
  content: MessageContent;
  /** Assistant messages only. */
  toolCalls?: ToolCall[];
  /** Tool messages only, and required there: the call this message answers. */
  toolCallId?: string;
  /** An optional participant name (system, user and assistant messages). */
  name?: string;
  metadata?: MessageMetadata;
}

/** A stored message: what was appended, exactly, plus what the window added. */
export interface Message extends MessageInput {
  id: string;
  /** Tokens sent to a model for this message (content text, name, tool names and arguments), in the window's encoding. */
  tokens: number;
  /** ISO-8601, UTC. */
  createdAt: string;
}

/** Limits of one message's parts, documented in the README and OpenAPI. */
export const MESSAGE_LIMITS = {
  /** Parts in one content array. */
  parts: 100,
  /** Tool calls on one assistant message. */
  toolCalls: 128,
  /** Characters of a tool call id or a tool_call_id. */
  toolCallIdChars: 128,
  /** Characters of a tool name or a participant name (OpenAI's limit). */
  nameChars: 64,
  /** Bytes of a message's metadata as JSON. */
  metadataBytes: 4096,
  /** Messages in one appended turn. */
  turnMessages: 100,
} as const;

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const INPUT_FIELDS = new Set(['role', 'content', 'toolCalls', 'toolCallId', 'name', 'metadata']);

/** A message checked and ready to store, with the texts a model would read. */
export interface CheckedMessage {
  input: MessageInput;
  /** Content text, name, tool names and arguments: what is counted. */
  texts: string[];
  /** UTF-8 bytes of everything sent to a model (texts, image URLs, file ids). */
  bytes: number;
}

const fail = (field: string, message: string): never => {
  throw new ValidationError(`${field} ${message}`, field);
};

function checkText(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, 'must be a string');
  if (LONE_SURROGATE.test(value as string)) fail(field, 'is not valid Unicode (it has an unpaired surrogate)');
  return value as string;
}

function checkObject(value: unknown, field: string, allowed: readonly string[], required: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'must be an object');
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) fail(`${field}.${key}`, `is not an accepted field (accepted: ${allowed.join(', ')})`);
  }
  for (const key of required) if (object[key] === undefined) fail(`${field}.${key}`, 'is required');
  return object;
}

function checkPart(part: unknown, field: string, role: MessageRole, out: { texts: string[]; bytes: number }): ContentPart {
  const type = (part as { type?: unknown } | null)?.type;
  if (!CONTENT_PART_TYPES.includes(type as never)) fail(`${field}.type`, `must be one of ${CONTENT_PART_TYPES.join(', ')}`);
  if (type !== 'text' && role !== 'user') fail(`${field}.type`, `${String(type)} parts are accepted on user messages only`);
  if (type === 'text') {
    const checked = checkObject(part, field, ['type', 'text'], ['text']);
    const text = checkText(checked.text, `${field}.text`);
    out.texts.push(text);
    out.bytes += Buffer.byteLength(text, 'utf8');
  } else if (type === 'image_url') {
    const image = checkObject(checkObject(part, field, ['type', 'image_url'], ['image_url']).image_url, `${field}.image_url`, ['url', 'detail'], ['url']);
    const url = checkText(image.url, `${field}.image_url.url`);
    if (!/^(https?:\/\/|data:image\/)/i.test(url)) fail(`${field}.image_url.url`, 'must be an http(s) URL or a data:image/ URL');
    if (image.detail !== undefined && !IMAGE_DETAILS.includes(image.detail as never)) {
      fail(`${field}.image_url.detail`, `must be one of ${IMAGE_DETAILS.join(', ')}`);
    }
    out.bytes += Buffer.byteLength(url, 'utf8');
  } else {
    const file = checkObject(checkObject(part, field, ['type', 'file'], ['file']).file, `${field}.file`, ['file_id', 'filename'], ['file_id']);
    const id = checkText(file.file_id, `${field}.file.file_id`);
    if (id === '') fail(`${field}.file.file_id`, 'must not be empty');
    if (file.filename !== undefined) checkText(file.filename, `${field}.file.filename`);
    out.bytes += Buffer.byteLength(id, 'utf8');
  }
  return part as ContentPart;
}

function checkCallId(value: unknown, field: string): string {
  const id = checkText(value, field);
  if (id.length < 1 || id.length > MESSAGE_LIMITS.toolCallIdChars) fail(field, `must be 1 to ${MESSAGE_LIMITS.toolCallIdChars} characters`);
  return id;
}

/** Strings anywhere in metadata must be valid Unicode too, or they would not come back as they went in. */
function checkMetadataStrings(value: unknown, field: string): void {
  if (typeof value === 'string') checkText(value, field);
  else if (Array.isArray(value)) value.forEach((item, i) => checkMetadataStrings(item, `${field}[${i}]`));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      checkText(key, `${field} key`);
      checkMetadataStrings(item, `${field}.${key}`);
    }
  }
}

/**
 * Checks one message as the window will store it, naming the first field that is wrong and what is allowed.
 * `field` prefixes the names (e.g. `messages[2]`). The turn structure (which call a tool message answers) is checked
 * by the append script against the window itself.
 */
/** A field's name under the message's own (`messages[1].content`); a module function, not a closure per message. */
function fieldAt(prefix: string, field: string): string {
  return `${prefix}${prefix && field ? '.' : ''}${field}`;
}

export function checkMessage(value: unknown, maxBytes: number, prefix = ''): CheckedMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(prefix || 'message', 'must be an object');
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!INPUT_FIELDS.has(key)) fail(fieldAt(prefix, key), `is not an accepted field (accepted: ${[...INPUT_FIELDS].join(', ')})`);
  }
  const role = input.role as MessageRole;
  if (!MESSAGE_ROLES.includes(role)) fail(fieldAt(prefix, 'role'), `must be one of ${MESSAGE_ROLES.join(', ')}`);
  const out = { texts: [] as string[], bytes: 0 };

  const toolCalls = input.toolCalls;
  if (toolCalls !== undefined) {
    if (role !== 'assistant') fail(fieldAt(prefix, 'toolCalls'), 'are accepted on assistant messages only');
    if (!Array.isArray(toolCalls) || toolCalls.length < 1 || toolCalls.length > MESSAGE_LIMITS.toolCalls) {
      fail(fieldAt(prefix, 'toolCalls'), `must be an array of 1 to ${MESSAGE_LIMITS.toolCalls} calls`);
    }
    const seen = new Set<string>();
    (toolCalls as unknown[]).forEach((call, i) => {
      const field = fieldAt(prefix, `toolCalls[${i}]`);
      const checked = checkObject(call, field, ['id', 'name', 'arguments'], ['id', 'name', 'arguments']);
      const id = checkCallId(checked.id, `${field}.id`);
      if (seen.has(id)) fail(`${field}.id`, `repeats the id ${JSON.stringify(id)} of an earlier call in this message`);
      seen.add(id);
      const name = checkText(checked.name, `${field}.name`);
      if (!NAME.test(name)) fail(`${field}.name`, 'must be 1 to 64 letters, digits, _ or -');
      const args = checkText(checked.arguments, `${field}.arguments`);
      try {
        JSON.parse(args);
      } catch {
        fail(`${field}.arguments`, 'must be a JSON text (a string such as "{\\"city\\":\\"Paris\\"}")');
      }
      out.texts.push(name, args);
      out.bytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(args, 'utf8');
    });
  }

  if (input.toolCallId !== undefined && role !== 'tool') fail(fieldAt(prefix, 'toolCallId'), 'is accepted on tool messages only');
  if (role === 'tool') {
    if (input.toolCallId === undefined) fail(fieldAt(prefix, 'toolCallId'), 'is required on a tool message: the id of the call it answers');
    checkCallId(input.toolCallId, fieldAt(prefix, 'toolCallId'));
  }

  if (input.name !== undefined) {
    if (role === 'tool') fail(fieldAt(prefix, 'name'), 'is not accepted on tool messages (they are named by toolCallId)');
    const name = checkText(input.name, fieldAt(prefix, 'name'));
    if (!NAME.test(name)) fail(fieldAt(prefix, 'name'), 'must be 1 to 64 letters, digits, _ or -');
    out.texts.push(name);
    out.bytes += Buffer.byteLength(name, 'utf8');
  }

  const content = input.content;
  if (content === null) {
    if (toolCalls === undefined) fail(fieldAt(prefix, 'content'), 'may be null only on an assistant message with toolCalls');
  } else if (typeof content === 'string') {
    checkText(content, fieldAt(prefix, 'content'));
    out.texts.push(content);
    out.bytes += Buffer.byteLength(content, 'utf8');
  } else if (Array.isArray(content)) {
    if (content.length < 1 || content.length > MESSAGE_LIMITS.parts) fail(fieldAt(prefix, 'content'), `must hold 1 to ${MESSAGE_LIMITS.parts} parts`);
    content.forEach((part, i) => checkPart(part, fieldAt(prefix, `content[${i}]`), role, out));
  } else {
    fail(fieldAt(prefix, 'content'), 'must be a string or an array of parts (text, image_url, file)');
  }

  if (input.metadata !== undefined) {
    const metadata = input.metadata;
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) fail(fieldAt(prefix, 'metadata'), 'must be an object');
    checkMetadataStrings(metadata, fieldAt(prefix, 'metadata'));
    const bytes = Buffer.byteLength(JSON.stringify(metadata), 'utf8');
    if (bytes > MESSAGE_LIMITS.metadataBytes) fail(fieldAt(prefix, 'metadata'), `is ${bytes} bytes as JSON; at most ${MESSAGE_LIMITS.metadataBytes} are accepted`);
  }

  if (out.bytes > maxBytes) {
    throw new ValidationError(
      `${fieldAt(prefix, typeof content === 'string' && out.texts.length === 1 ? 'content' : 'message') || 'message'} is ${out.bytes} bytes ` +
        `(content, names and tool call arguments together, as UTF-8); at most ${maxBytes} are accepted`,
      fieldAt(prefix, typeof content === 'string' && out.texts.length === 1 ? 'content' : 'message') || 'message',
    );
  }
  return { input: pick(input as unknown as MessageInput), texts: out.texts, bytes: out.bytes };
}

/** The input's own fields in one order, so a stored message always serializes the same way. */
function pick(input: MessageInput): MessageInput {
  const message: MessageInput = { role: input.role, content: input.content };
  if (input.toolCalls !== undefined) message.toolCalls = input.toolCalls.map(({ id, name, arguments: args }) => ({ id, name, arguments: args }));
  if (input.toolCallId !== undefined) message.toolCallId = input.toolCallId;
  if (input.name !== undefined) message.name = input.name;
  if (input.metadata !== undefined) message.metadata = input.metadata;
  return message;
}

/** A message in the shape the Chat Completions API takes (`messages[]` of a request). */
export type OpenAIMessage =
  | { role: 'system' | 'user'; content: string | ContentPart[]; name?: string }
  | {
      role: 'assistant';
      content: string | ContentPart[] | null;
      name?: string;
      tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
    }
  | { role: 'tool'; content: string | ContentPart[]; tool_call_id: string };

/** The window's messages as Chat Completions input: ids, token counts, times and metadata are left out. */
export function toOpenAI(messages: readonly MessageInput[]): OpenAIMessage[] {
  return messages.map((message): OpenAIMessage => {
    const named = message.name !== undefined ? { name: message.name } : {};
    switch (message.role) {
      case 'tool':
        return { role: 'tool', content: message.content ?? '', tool_call_id: message.toolCallId! };
      case 'assistant':
        return {
          role: 'assistant',
          content: message.content,
          ...named,
          ...(message.toolCalls
            ? { tool_calls: message.toolCalls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } })) }
            : {}),
        };
      default:
        return { role: message.role, content: message.content ?? '', ...named };
    }
  });
}

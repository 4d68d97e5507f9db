import { Type, type Static } from '@sinclair/typebox';
import { CONTENT_PART_TYPES, IMAGE_DETAILS, MESSAGE_LIMITS, MESSAGE_ROLES, type Message, type MessageInput } from '../index.js';

/*
 * The message shapes of the short-term memory routes, in one place so the OpenAPI document can name them. The
 * schemas check shape (types, fields, sizes of lists); the library checks the rest (which role may carry what,
 * that arguments are JSON, the size of the whole message, the turn structure) and names the field either way.
 */

export const TextPart = Type.Object({ type: Type.Literal('text'), text: Type.String() }, { additionalProperties: false, title: 'TextPart' });
export const ImageUrlPart = Type.Object(
  {
    type: Type.Literal('image_url'),
    image_url: Type.Object(
      {
        url: Type.String({ description: 'An http(s) URL, or a data:image/… URL (counted in the message size)' }),
        detail: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('low'), Type.Literal('high')], { description: IMAGE_DETAILS.join(', ') })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, title: 'ImageUrlPart', description: 'User messages only. Not counted as tokens.' },
);
export const FilePart = Type.Object(
  {
    type: Type.Literal('file'),
    file: Type.Object({ file_id: Type.String({ minLength: 1 }), filename: Type.Optional(Type.String()) }, { additionalProperties: false }),
  },
  { additionalProperties: false, title: 'FilePart', description: 'A file (or image) by reference. User messages only. Not counted as tokens.' },
);
export const ContentPart = Type.Union([TextPart, ImageUrlPart, FilePart], { title: 'ContentPart', description: CONTENT_PART_TYPES.join(', ') });

export const Content = Type.Union([Type.String(), Type.Array(ContentPart, { minItems: 1, maxItems: MESSAGE_LIMITS.parts }), Type.Null()], {
  title: 'Content',
  description: `A string, or 1 to ${MESSAGE_LIMITS.parts} parts; null only on an assistant message with tool_calls`,
});

export const ToolCall = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: MESSAGE_LIMITS.toolCallIdChars }),
    name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    arguments: Type.String({ description: 'The arguments as a JSON text, as OpenAI sends them (e.g. "{\\"city\\":\\"Paris\\"}")' }),
  },
  { additionalProperties: false, title: 'ToolCall' },
);

export const Role = Type.Union([Type.Literal('system'), Type.Literal('user'), Type.Literal('assistant'), Type.Literal('tool')], {
  title: 'Role',
  description: MESSAGE_ROLES.join(', '),
});

const inputFields = {
  role: Role,
  content: Content,
  tool_calls: Type.Optional(Type.Array(ToolCall, { minItems: 1, maxItems: MESSAGE_LIMITS.toolCalls, description: 'Assistant messages only' })),
  tool_call_id: Type.Optional(
    Type.String({ minLength: 1, maxLength: MESSAGE_LIMITS.toolCallIdChars, description: 'Tool messages only, and required there: the call it answers, which must be open in the window' }),
  ),
  name: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'A participant name (not on tool messages)' })),
  metadata: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), { description: `Any JSON object, at most ${MESSAGE_LIMITS.metadataBytes} bytes as JSON; stored and returned, never sent to a model, not counted` }),
  ),
};

export const MessageInputBody = Type.Object(inputFields, {
  additionalProperties: false,
  title: 'MessageInput',
  description: 'Content, names and tool call arguments together are at most MAX_MESSAGE_BYTES (32 KiB by default) as UTF-8.',
});

export const TurnBody = Type.Object(
  { messages: Type.Array(MessageInputBody, { minItems: 1, maxItems: MESSAGE_LIMITS.turnMessages }) },
  { additionalProperties: false, title: 'Turn' },
);

export const MessageBody = Type.Object(
  {
    id: Type.String(),
    ...inputFields,
    tokens: Type.Integer({ description: 'Tokens a model reads for this message (content text, name, tool names and arguments) in TOKEN_ENCODING' }),
    created_at: Type.String({ format: 'date-time' }),
  },
  { title: 'Message', description: 'A stored message: exactly what was appended, with its id, token count and time' },
);

export const OpenAIMessageBody = Type.Object(
  {
    role: Role,
    content: Content,
    name: Type.Optional(Type.String()),
    tool_calls: Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String(),
          type: Type.Literal('function'),
          function: Type.Object({ name: Type.String(), arguments: Type.String() }),
        }),
      ),
    ),
    tool_call_id: Type.Optional(Type.String()),
  },
  { title: 'OpenAIMessage', description: 'A message as the Chat Completions API takes it' },
);

export const TokenUsageBody = Type.Object({ used: Type.Integer(), max: Type.Integer(), percentage: Type.Number() }, { title: 'TokenUsage' });

/** The HTTP names of the library's fields, for error messages that name what the caller sent. */
export function httpFieldNames(text: string): string {
  return text.replace(/\btoolCalls\b/g, 'tool_calls').replace(/\btoolCallId\b/g, 'tool_call_id');
}

export function toMessageInput(body: Static<typeof MessageInputBody>): MessageInput {
  const input: MessageInput = { role: body.role, content: body.content as MessageInput['content'] };
  if (body.tool_calls !== undefined) input.toolCalls = body.tool_calls;
  if (body.tool_call_id !== undefined) input.toolCallId = body.tool_call_id;
  if (body.name !== undefined) input.name = body.name;
  if (body.metadata !== undefined) input.metadata = body.metadata;
  return input;
}

/** A stored message in its HTTP shape: the fields the caller sent, as sent, then id, tokens and time. */
export function messageBody(message: Message): Static<typeof MessageBody> {
  const body = { id: message.id, role: message.role, content: message.content } as Static<typeof MessageBody>;
  if (message.toolCalls !== undefined) body.tool_calls = message.toolCalls;
  if (message.toolCallId !== undefined) body.tool_call_id = message.toolCallId;
  if (message.name !== undefined) body.name = message.name;
  if (message.metadata !== undefined) body.metadata = message.metadata;
  body.tokens = message.tokens;
  body.created_at = message.createdAt;
  return body;
}

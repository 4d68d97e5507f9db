import { BaseListChatMessageHistory } from '@langchain/core/chat_history';
import {
  AIMessage,
  ChatMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
  type MessageContent as LangChainContent,
} from '@langchain/core/messages';
import {
  ValidationError,
  type ContentPart,
  type Message,
  type MessageContent,
  type MessageInput,
  type ShortTermMemory,
} from '../index.js';

export interface RemembrChatMessageHistoryOptions {
  /** Remembr's short-term memory: `remembr.memory`. */
  memory: ShortTermMemory;
  /** The user the session belongs to. */
  userId: string;
  /** A live session of that user (`remembr.sessions.create`). */
  sessionId: string;
}

/** The session is missing, expired, or another user's: there is no window to write to. */
export class MissingSessionError extends Error {
  override name = 'MissingSessionError';
  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} not found (missing, expired or another user's): create it with remembr.sessions.create first`);
  }
}

/**
 * A LangChain chat history over a Remembr session's short-term window. The window's rules apply as they do to any
 * other writer: its token budget (the oldest turns are evicted to make room, an assistant message with its tool
 * results as one), its TTL following the session, and its refusal of a message that would break a tool exchange.
 * AI messages with `tool_calls` and ToolMessages map onto the window's assistant tool calls and tool results, so a
 * model reading the history back gets a sequence it accepts.
 *
 * `addMessages` appends all its messages as one turn, all or nothing: RunnableWithMessageHistory saves a run's
 * input and output that way, so two concurrent runs on one session never interleave their messages.
 */
export class RemembrChatMessageHistory extends BaseListChatMessageHistory {
  lc_namespace = ['remembr', 'langchain'];
  readonly #memory: ShortTermMemory;
  readonly #userId: string;
  readonly #sessionId: string;

  constructor(options: RemembrChatMessageHistoryOptions) {
    super();
    if (!options?.memory) throw new ValidationError('RemembrChatMessageHistory needs the memory service (remembr.memory)', 'memory');
    this.#memory = options.memory;
    this.#userId = options.userId;
    this.#sessionId = options.sessionId;
  }

  /** The window, oldest first; empty when the session is not there. */
  async getMessages(): Promise<BaseMessage[]> {
    const window = await this.#memory.read(this.#userId, this.#sessionId);
    return window === null ? [] : window.messages.map(toLangChain);
  }

  async addMessage(message: BaseMessage): Promise<void> {
    await this.addMessages([message]);
  }

  override async addMessages(messages: BaseMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const appended = await this.#memory.appendTurn(this.#userId, this.#sessionId, messages.map(toRemembr));
    if (appended === null) throw new MissingSessionError(this.#sessionId);
  }

  /** Empties the window; the session, its TTL and its checkpoints stay. */
  override async clear(): Promise<void> {
    if (!(await this.#memory.clear(this.#userId, this.#sessionId))) throw new MissingSessionError(this.#sessionId);
  }
}

const ROLE_OF_TYPE: Record<string, MessageInput['role']> = { human: 'user', ai: 'assistant', system: 'system', tool: 'tool' };
const ROLE_OF_CHAT: Record<string, MessageInput['role']> = {
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  ai: 'assistant',
  system: 'system',
  tool: 'tool',
};

/** A LangChain message as a window message. Content blocks a window cannot hold (tool_use, reasoning) are left out. */
export function toRemembr(message: BaseMessage): MessageInput {
  const type = message.getType();
  const role = type === 'generic' ? ROLE_OF_CHAT[(message as ChatMessage).role] : ROLE_OF_TYPE[type];
  if (role === undefined) {
    throw new ValidationError(
      `a ${type === 'generic' ? `chat message with role ${JSON.stringify((message as ChatMessage).role)}` : `${type} message`} has no place in a window (system, human, ai, tool)`,
      'role',
    );
  }
  const input: MessageInput = { role, content: toRemembrContent(message.content) };
  if (message instanceof AIMessage || type === 'ai') {
    const calls = (message as AIMessage).tool_calls ?? [];
    if (calls.length > 0) {
      input.toolCalls = calls.map((call, i) => {
        if (!call.id) throw new ValidationError(`tool_calls[${i}] has no id: a ToolMessage could not answer it`, `tool_calls[${i}].id`);
        return { id: call.id, name: call.name, arguments: JSON.stringify(call.args ?? {}) };
      });
      // OpenAI sends no content with a message that only calls tools; the window keeps that as null.
      if (input.content === '' || (Array.isArray(input.content) && input.content.length === 0)) input.content = null;
    }
  }
  if (role === 'tool') input.toolCallId = (message as ToolMessage).tool_call_id;
  else if (message.name) input.name = message.name;
  return input;
}

function toRemembrContent(content: LangChainContent): MessageContent {
  if (typeof content === 'string') return content;
  const parts: ContentPart[] = [];
  for (const block of content as Array<Record<string, unknown>>) {
    if (block.type === 'text' && typeof block.text === 'string') parts.push({ type: 'text', text: block.text });
    else if (block.type === 'image_url') {
      const image = block.image_url as string | { url: string; detail?: 'auto' | 'low' | 'high' };
      parts.push({ type: 'image_url', image_url: typeof image === 'string' ? { url: image } : image });
    }
  }
  // One text block is how several chat models return a plain answer.
  return parts.length === 1 && parts[0]!.type === 'text' ? parts[0]!.text : parts;
}

/**
 * A window message as the LangChain message a model reads; its id is the window's. Each constructor gets an object
 * literal of its own, never a spread of a shared one: a spread-built fields object made getMessages about fifteen
 * times slower (V8 then builds every message on its slow path), measured by the chat-history benchmark.
 */
export function toLangChain(message: Message): BaseMessage {
  const content = (message.content ?? '') as LangChainContent;
  const name = message.name || undefined;
  switch (message.role) {
    case 'system':
      return new SystemMessage({ content, id: message.id, name });
    case 'user':
      return new HumanMessage({ content, id: message.id, name });
    case 'assistant':
      return new AIMessage({
        content,
        id: message.id,
        name,
        tool_calls: message.toolCalls === undefined
          ? []
          : message.toolCalls.map((call) => ({ id: call.id, name: call.name, args: parseArguments(call.arguments), type: 'tool_call' as const })),
      });
    case 'tool':
      return new ToolMessage({ content, id: message.id, tool_call_id: message.toolCallId ?? '' });
  }
}

/** Arguments are JSON text; text that is not an object (a model's malformed call) is kept under `input`. */
function parseArguments(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { input: parsed };
  } catch {
    return { input: text };
  }
}

/**
 * `remembr/langchain`: a LangChain chat history over a Remembr session's short-term window. Needs the optional
 * peer dependency `@langchain/core` (1.x); `import … from 'remembr'` never loads it.
 */
export { RemembrChatMessageHistory, MissingSessionError, toLangChain, toRemembr } from './chat-message-history.js';
export type { RemembrChatMessageHistoryOptions } from './chat-message-history.js';

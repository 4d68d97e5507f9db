/**
 * `remembr/langgraph`: a LangGraph checkpointer on Remembr's store. Needs the optional peer dependency
 * `@langchain/langgraph-checkpoint` (1.x); `import … from 'remembr'` never loads it.
 */
export { RemembrSaver } from './remembr-saver.js';
export type { RemembrSaverOptions } from './remembr-saver.js';

/*
 * A StateGraph that stops at a human approval (interrupt) and is resumed later, run as its own process so the
 * test can start it, let it exit at the interrupt, and resume it from a second process on the same Redis.
 *
 *   tsx test/langgraph/approval-graph.ts <run|resume> <redis url> <scope> <thread id> [resume value]
 *
 * Prints one JSON line: the interrupts it stopped at, or the final state.
 */
import { Annotation, Command, END, START, StateGraph, interrupt } from '@langchain/langgraph';
import { createRemembr } from '../../src/index.js';
import { RemembrSaver } from '../../src/langgraph/index.js';

const [mode, redisUrl, scope, threadId, answer] = process.argv.slice(2) as [string, string, string, string, string?];

const State = Annotation.Root({
  topic: Annotation<string>(),
  draft: Annotation<string>(),
  decision: Annotation<string>(),
  published: Annotation<boolean>(),
  // Which process ran each node, to show the second one did not redo the first one's work.
  ranBy: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
});

const remembr = await createRemembr({ redisUrl });
const saver = new RemembrSaver({ store: remembr.store, scope, ttlSeconds: 300 });
const graph = new StateGraph(State)
  .addNode('write', (state) => ({ draft: `A post about ${state.topic}`, ranBy: [`write@${process.pid}`] }))
  .addNode('approve', (state) => {
    const decision = interrupt({ question: 'Publish this draft?', draft: state.draft }) as string;
    return { decision, ranBy: [`approve@${process.pid}`] };
  })
  .addNode('publish', (state) => ({ published: state.decision === 'yes', ranBy: [`publish@${process.pid}`] }))
  .addEdge(START, 'write')
  .addEdge('write', 'approve')
  .addEdge('approve', 'publish')
  .addEdge('publish', END)
  .compile({ checkpointer: saver });

const config = { configurable: { thread_id: threadId } };
try {
  if (mode === 'run') {
    const result = await graph.invoke({ topic: 'Redis' }, config);
    console.log(JSON.stringify({ pid: process.pid, interrupts: (result as { __interrupt__?: unknown[] }).__interrupt__ ?? [] }));
  } else {
    const result = await graph.invoke(new Command({ resume: answer }), config);
    console.log(JSON.stringify({ pid: process.pid, state: result }));
  }
} finally {
  await remembr.close();
}

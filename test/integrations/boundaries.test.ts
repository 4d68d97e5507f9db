import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The integrations are adapters on the outside: the core never imports them or their frameworks (which are
 * optional peer dependencies, so `import … from 'remembr'` must work without them), and they reach the core only
 * through its public entry.
 */
const SRC = new URL('../../src/', import.meta.url).pathname;
const INTEGRATIONS = ['langgraph', 'langchain', 'mcp'];
const FRAMEWORKS = /from\s+['"](@langchain\/|@modelcontextprotocol\/|zod\b)|import\(\s*['"](@langchain\/|@modelcontextprotocol\/)/;

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield path;
  }
}

const files = [...sources(SRC)].map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));
const folderOf = (path: string) => path.split('/')[0]!;

describe('integration boundaries', () => {
  it('the core imports no framework package and no integration', () => {
    const core = files.filter(({ path }) => !INTEGRATIONS.includes(folderOf(path)) && !['http', 'cli'].includes(folderOf(path)));
    expect(core.length).toBeGreaterThan(20);
    const offending = core.filter(({ text }) => FRAMEWORKS.test(text) || /from\s+['"][./]+\/(langgraph|langchain|mcp)\//.test(text));
    expect(offending.map(({ path }) => path)).toEqual([]);
  });

  it('the service and the CLI load an integration only when it is used (a dynamic import)', () => {
    const shells = files.filter(({ path }) => ['http', 'cli'].includes(folderOf(path)));
    const staticImports = shells.filter(({ text }) => /^import\s[^(]*from\s+['"][./]+\/(langgraph|langchain|mcp)\//m.test(text) || FRAMEWORKS.test(text));
    expect(staticImports.map(({ path }) => path)).toEqual([]);
  });

  it('each integration reaches the core only through its public entry', () => {
    const integration = files.filter(({ path }) => INTEGRATIONS.includes(folderOf(path)));
    expect(integration.length).toBeGreaterThan(0);
    const deepImports = integration.flatMap(({ path, text }) =>
      [...text.matchAll(/from\s+['"](\.\.\/[^'"]+)['"]/g)]
        .map((match) => match[1]!)
        .filter((target) => target !== '../index.js' && !INTEGRATIONS.some((name) => target.startsWith(`../${name}/`)))
        .map((target) => `${path} → ${target}`),
    );
    expect(deepImports).toEqual([]);
  });
});

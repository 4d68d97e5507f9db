import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
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

/*
 * `remembr/client` runs in a browser, a worker or an edge runtime: it uses no Node module or global, and takes
 * from the rest of the package only types (the generated ones and its own), so bundling it pulls in no Redis
 * client or Fastify.
 */
describe('the client boundary', () => {
  const client = files.filter(({ path }) => folderOf(path) === 'client');

  it('imports no node: module, and nothing from outside src/client but openapi-fetch and types', () => {
    expect(client.map(({ path }) => path)).toContain('client/index.ts');
    const imports = client.flatMap(({ path, text }) =>
      [...text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+['"]([^'"]+)['"]/gm)].map((match) => ({ path, typeOnly: Boolean(match[2]), target: match[3]! })),
    );
    expect(imports.length).toBeGreaterThan(3);
    const offending = imports
      .filter(({ target, typeOnly }) => !(target.startsWith('./') || target === 'openapi-fetch' || (typeOnly && target.startsWith('../'))))
      .map(({ path, target }) => `${path} → ${target}`);
    expect(offending).toEqual([]);
    expect(client.filter(({ text }) => /\b(require\(|import\(|process\.|Buffer\b|__dirname)/.test(text)).map(({ path }) => path)).toEqual([]);
  });

  it('type-checks with the browser’s types and without Node’s', async () => {
    const dir = join(SRC, '..', '.tmp', 'client-boundary');
    mkdirSync(dir, { recursive: true });
    const tsconfig = join(dir, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, skipLibCheck: true, types: [], lib: ['ES2022', 'DOM'] },
        include: [join(SRC, 'client', '*.ts')],
      }),
    );
    const tsc = join(SRC, '..', 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', tsconfig]).then(
      () => ({ code: 0, output: '' }),
      (err: { code: number; stdout: string }) => ({ code: err.code, output: err.stdout }),
    );
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 180_000);
});

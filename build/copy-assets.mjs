// Copies the Lua scripts that sit beside their callers in src/, and the dashboard's page and browser script, to the
// same places in dist/ (tsc copies only .ts).
import { chmodSync, cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.lua') || path.startsWith(join('src', 'http', 'dashboard')) && !entry.name.endsWith('.ts')) yield path;
  }
}

for (const file of files('src')) cpSync(file, join('dist', relative('src', file)));

// The CLI is run as a program (`npx remembr`, the package's bin): tsc writes it without the execute bit.
chmodSync(join('dist', 'cli', 'main.js'), 0o755);

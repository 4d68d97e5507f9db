#!/usr/bin/env node
import { run } from './program.js';

// The CLI's entry point (`npx remembr`): like main.ts for the service, the only reader of process.env here.
const exitCode = await run(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
});
process.exitCode = exitCode;

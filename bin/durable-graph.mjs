#!/usr/bin/env node
// The `durable-graph` command. An installed package runs the built CLI (dist/). A checkout (this package is not
// under node_modules/) runs the TypeScript sources through tsx, so a dist/ left by an earlier build (`npm ci` runs
// `prepare`) can never run stale code; without tsx it falls back to dist/. The CLI reaches the library through
// relative imports, so it never depends on the `durable-graph-source` export condition.
import { existsSync } from 'node:fs';
import { createRequire, register as registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/cli/main.js', import.meta.url);
const sources = new URL('../src/cli/main.ts', import.meta.url);

function hasTsx() {
  try {
    createRequire(import.meta.url).resolve('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}

const isCheckout = !fileURLToPath(import.meta.url)
  .split(/[\\/]/)
  .includes('node_modules');
const fromSources =
  existsSync(fileURLToPath(sources)) && (!existsSync(fileURLToPath(built)) || (isCheckout && hasTsx()));

let cli;
if (!fromSources) {
  cli = await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  // A user module loaded by `durable-graph worker` that imports "durable-graph" must get the same
  // source files the CLI runs (one copy of the library, one CompiledGraph class), not dist/.
  // Registered after tsx, so it runs first and tsx resolves with the extra condition.
  const addSourceCondition = `export function resolve(specifier, context, next) {
    const conditions = context.conditions.includes('durable-graph-source') ? context.conditions : [...context.conditions, 'durable-graph-source'];
    return next(specifier, { ...context, conditions });
  }`;
  registerHooks(`data:text/javascript,${encodeURIComponent(addSourceCondition)}`);
  cli = await import(sources.href);
}
await cli.runCli(process.argv.slice(2));

#!/usr/bin/env node
// The `durable-graph` command. Runs the built CLI (dist/) when it exists; otherwise, in a checkout,
// runs the TypeScript sources through tsx. The CLI reaches the library through relative imports, so
// it never depends on the `durable-graph-source` export condition.
import { existsSync } from 'node:fs';
import { register as registerHooks } from 'node:module';

const built = new URL('../dist/cli/main.js', import.meta.url);

let cli;
if (existsSync(built)) {
  cli = await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  // A user module loaded by `durable-graph worker` that imports "durable-graph" must get the same
  // source files the CLI runs (one copy of the library, one CompiledGraph class), not the missing dist/.
  // Registered after tsx, so it runs first and tsx resolves with the extra condition.
  const addSourceCondition = `export function resolve(specifier, context, next) {
    const conditions = context.conditions.includes('durable-graph-source') ? context.conditions : [...context.conditions, 'durable-graph-source'];
    return next(specifier, { ...context, conditions });
  }`;
  registerHooks(`data:text/javascript,${encodeURIComponent(addSourceCondition)}`);
  cli = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
await cli.runCli(process.argv.slice(2));

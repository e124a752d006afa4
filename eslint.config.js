// Lint: the layering of src/ (which folder may import which, ../shared/STYLE.md's table) and the few rules that catch
// real bugs in Temporal code (a floating promise in a workflow is a lost command). Formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = {
  group: ['node:*'],
  message: 'The workflow sandbox has no Node built-ins: keep Node code in activities/, client/ or worker.',
};
const temporalOutsideWorkflow = (message) => ({
  group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/envconfig'],
  message,
});

/** Everything above graph/ and protocol/ in src/, as seen from a folder one level down. */
const upperLayers = [
  '../workflows/*',
  '../activities/*',
  '../client*',
  '../cli/*',
  '../worker*',
  '../dev-server/*',
  '../server/*',
];

const graphRules = [
  {
    group: ['@temporalio/*'],
    message:
      'graph/ is the definition API: no Temporal. Put Temporal code in workflows/, activities/, client/ or worker.',
  },
  {
    group: upperLayers,
    message: 'graph/ sits below the engine and the client: import only errors.ts and protocol/.',
  },
];

/** `no-restricted-imports` for the files of one folder: groups of module patterns each with the reason. */
const layer = (files, patterns, options = {}) => ({
  files,
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', { patterns: patterns.map((p) => ({ ...p, ...options })) }],
  },
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tools/', '.data/', '.scratch/', 'cjs/', 'bench/results/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      // Tests and generics of the public API use `any` on purpose in a few places; unused names start with `_`.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
  },

  // errors.ts and errors/ import nothing but each other: every layer can use them.
  layer(
    ['src/errors.ts'],
    [
      {
        regex: '^(?!\\./errors/[^/]+\\.js$)',
        message: 'errors.ts only lists errors/, so every layer (the workflow sandbox too) can import it.',
      },
    ],
  ),
  layer(
    ['src/errors/**/*.ts'],
    [
      {
        regex: '^(?!\\./[^/]+\\.js$)',
        message: 'errors/ imports only its own files, so every layer (the workflow sandbox too) can import it.',
      },
    ],
  ),
  // graph/: the definition API, plain TypeScript and zod; only node-context.ts uses a Node built-in.
  layer(
    ['src/graph/**/*.ts'],
    [
      ...graphRules,
      { group: ['node:*'], message: 'Only graph/node-context.ts uses a Node built-in (AsyncLocalStorage).' },
    ],
  ),
  layer(['src/graph/node-context.ts'], graphRules),
  // protocol/: the contract shared by the client, the engine and the activities; safe in the workflow sandbox.
  layer(
    ['src/protocol/**/*.ts'],
    [
      nodeBuiltins,
      temporalOutsideWorkflow(
        'protocol/ is bundled into the workflow: only @temporalio/workflow (define*) and @temporalio/common.',
      ),
      {
        group: ['../graph/*'],
        message: 'protocol/ sits below graph/: import graph types only (import type).',
        allowTypeImports: true,
      },
      {
        group: upperLayers,
        message: 'protocol/ is the bottom layer: errors.ts only.',
      },
    ],
  ),
  // workflows/: the deterministic engine.
  layer(
    ['src/workflows/**/*.ts'],
    [
      nodeBuiltins,
      temporalOutsideWorkflow(
        'The engine runs in the workflow sandbox: @temporalio/workflow and @temporalio/common only.',
      ),
      {
        group: ['zod'],
        message:
          'No zod in the engine: schemas run in activities; the engine checks JSON Schema (protocol/response-schema.ts).',
      },
      {
        group: ['../graph/*'],
        message: 'The engine never imports user-facing graph code: use the recorded spec (protocol/spec.ts).',
        allowTypeImports: true,
      },
      {
        group: upperLayers.filter((p) => p !== '../workflows/*'),
        message: 'The engine imports only protocol/ and errors.ts.',
      },
    ],
  ),
  // activities/: where user code runs.
  layer(
    ['src/activities/**/*.ts'],
    [
      {
        group: ['../workflows/*', '../client*', '../cli/*', '../worker*', '../dev-server/*'],
        message: 'Activities use graph/ and protocol/; they never import the engine or the client.',
      },
    ],
  ),
  // The client and the worker: each its own side of Temporal.
  layer(
    ['src/client.ts', 'src/client/**/*.ts'],
    [
      {
        group: [
          './workflows/*',
          '../workflows/*',
          '../../workflows/*',
          './activities/*',
          '../activities/*',
          '../../activities/*',
          './cli/*',
          '../cli/*',
          './worker*',
          '../worker*',
        ],
        message: 'The client talks to threads through Temporal: no engine, activities, worker or CLI code.',
      },
    ],
  ),
  layer(
    ['src/worker.ts', 'src/worker/**/*.ts'],
    [
      {
        group: ['./workflows/*', '../workflows/*'],
        message: 'The worker loads the engine by path (engine-bundle.ts), never by import.',
      },
      { group: ['./client*', '../client*', './cli/*'], message: 'The worker does not use the client.' },
    ],
  ),
  // codec/: payload encryption and the codec server, shared by the worker, the client and the CLI.
  layer(
    ['src/codec/**/*.ts'],
    [
      {
        group: upperLayers.filter((p) => p !== '../server/*'),
        message:
          'codec/ sits beside server/: errors.ts and @temporalio/common only, so worker, client and CLI share it.',
      },
      { group: ['../graph/*'], message: 'codec/ knows payloads, not graphs.' },
    ],
  ),
  // storage/: External Storage drivers; below the client and the worker, which both use them.
  layer(
    ['src/storage.ts', 'src/storage/**/*.ts'],
    [
      {
        group: [
          './workflows/*',
          '../workflows/*',
          './activities/*',
          '../activities/*',
          './client*',
          '../client*',
          './cli/*',
          '../cli/*',
          './worker*',
          '../worker*',
          '../server/*',
        ],
        message: 'storage/ holds drivers only: errors.ts, protocol/ and @temporalio/common.',
      },
    ],
  ),
  // cli/: the public entry points and protocol/ only.
  layer(
    ['src/cli/**/*.ts'],
    [
      {
        group: [
          '../graph/*',
          '../../graph/*',
          '../client/*',
          '../../client/*',
          '../workflows/*',
          '../../workflows/*',
          '../activities/*',
          '../../activities/*',
          '../worker/*',
          '../../worker/*',
          '../server/*',
          '../../server/*',
          '../dev-server/*',
          '../../dev-server/*',
          '!../dev-server/index.js',
          '!../../dev-server/index.js',
        ],
        message: 'The CLI uses the public entry points (index, client, worker, dev-server) and protocol/ only.',
      },
    ],
  ),
);

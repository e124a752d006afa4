'use strict';
// require('durable-graph') from CommonJS. The package is ES modules. Node.js 20.19+ (and 22.12+) can require() them,
// and require() then returns the same module instance `import` gets: one copy of the library, one CompiledGraph
// class. The two ways it fails are turned into a message that says what to do instead of Node's internal one.

/**
 * Runs `requireEntry` (a require() of one of durable-graph's ES module entry points) and returns its exports;
 * rethrows a failure to require an ES module as an error naming the fix.
 */
module.exports = function loadEsmEntry(requireEntry, specifier) {
  try {
    return requireEntry();
  } catch (error) {
    const code = error && error.code;
    if (code === 'ERR_REQUIRE_ESM') {
      throw new Error(
        `require('${specifier}') failed: durable-graph is published as ES modules, and this Node.js ` +
          `(${process.version}) does not require() ES modules. Use Node.js 20.19 or later, where it is on by default ` +
          '(unless --no-experimental-require-module is set), ' +
          `or load it with \`await import('${specifier}')\`, or make your project an ES module project ` +
          '("type": "module" in package.json).',
        { cause: error },
      );
    }
    if (code === 'ERR_REQUIRE_CYCLE_MODULE' || code === 'ERR_REQUIRE_ASYNC_MODULE') {
      throw new Error(
        `require('${specifier}') failed: it ran while durable-graph was still being loaded through import ` +
          '(a CommonJS file loaded by an ES module that imports durable-graph too, or a loader mixing the two). ' +
          `Load durable-graph one way in this process: import it everywhere (\`await import('${specifier}')\` ` +
          'works in CommonJS), or require() it everywhere.',
        { cause: error },
      );
    }
    throw error;
  }
};

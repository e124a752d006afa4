/**
 * The engine's level is written in two places: the ledger of changes (workflows/patches.ts) and the constant the
 * worker reads without loading the engine (protocol/engine-level.ts), to stamp prebuilt bundles. They must agree.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENGINE_LEVEL, EngineChange } from '../../../src/workflows/patches.js';

describe('the engine level', () => {
  it("is the ledger's highest change, so a new change cannot ship without raising it", () => {
    assert.equal(ENGINE_LEVEL, Math.max(0, ...Object.values(EngineChange)));
  });
});

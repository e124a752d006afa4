import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deploymentFieldProblem } from '../../../src/protocol/deployment-version.js';

describe('deploymentFieldProblem', () => {
  it('takes what the server takes: any other text, "/", spaces, non-ASCII, and a build id with "." or ":"', () => {
    for (const [field, value] of [
      ['deployment name', 'support-agent'],
      ['deployment name', 'a/b'],
      ['deployment name', 'dé-ploy'],
      ['deployment name', 'n'.repeat(480)],
      ['build id', 'a.b:c/d e'],
      ['build id', 'b'.repeat(255)],
      ['build id', 'é'.repeat(127)],
    ] as const)
      assert.equal(deploymentFieldProblem(field, value), undefined, `${field} ${value.slice(0, 20)}`);
  });

  it('says why for what the server refuses, and what to use instead', () => {
    const cases: Array<[Parameters<typeof deploymentFieldProblem>[0], unknown, RegExp]> = [
      ['deployment name', '', /^is empty; a deployment name is text such as "support-agent"$/],
      ['build id', '', /^is empty; a build id is text such as a git commit$/],
      ['build id', undefined, /^is not a string/],
      ['deployment name', '__mine', /^starts with "__", which Temporal keeps for its own versions/],
      ['build id', '__unversioned__', /^starts with "__"/],
      ['deployment name', 'support.agent', /^contains "\.", which Temporal puts between .*; use "-" or "_" instead$/],
      ['deployment name', 'support:agent', /^contains ":"/],
      ['deployment name', 'n'.repeat(481), /^is 481 bytes long; Temporal takes at most 480$/],
      ['build id', 'é'.repeat(128), /^is 256 bytes long; Temporal takes at most 255$/],
      ['build id', 'v\ud800', /^is not valid Unicode/],
    ];
    for (const [field, value, says] of cases)
      assert.match(deploymentFieldProblem(field, value) ?? '(taken)', says, `${field} ${String(value).slice(0, 20)}`);
  });
});

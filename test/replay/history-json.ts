/**
 * JSON <-> History for the replay histories, in the format `temporal workflow show --output json` and
 * the SDK's `historyToJSON` write.
 *
 * Why not just the SDK's `historyFromJSON`/`historyToJSON`: with the current package-lock, npm installs
 * protobufjs 7 at the top level (for @grpc/proto-loader) and three separate copies of protobufjs 8 under
 * @temporalio/proto, /common and /worker. `proto-utils` then hands a `Type` made by @temporalio/proto's
 * copy to the protojson of @temporalio/common's copy, whose `instanceof Type` check fails: both functions
 * throw `TypeError: type must be a Type` (and so does `Worker.runReplayHistory` given a JSON history).
 * We call the SDK first and fall back to @temporalio/proto's own protojson, which does the same
 * conversion with matching classes. Once the copies are deduplicated the SDK path is used again.
 */
import { createRequire } from 'node:module';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';

export type History = temporal.api.history.v1.IHistory;

interface ProtoJson {
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
  toJson(type: unknown, message: unknown): unknown;
}

const require = createRequire(import.meta.url);

/** History type and protojson taken from the same protobufjs copy (the one @temporalio/proto uses). */
function protoOwnJson(): { json: ProtoJson; historyType: unknown; proto: typeof import('@temporalio/proto') } {
  const fromProto = createRequire(require.resolve('@temporalio/proto'));
  const proto = require('@temporalio/proto') as typeof import('@temporalio/proto');
  const { patchProtobufRoot } = require('@temporalio/proto/lib/patch-protobuf-root') as {
    patchProtobufRoot: (root: unknown) => { lookupType(name: string): unknown };
  };
  return {
    json: fromProto('protobufjs/ext/protojson') as ProtoJson,
    historyType: patchProtobufRoot(proto).lookupType('temporal.api.history.v1.History'),
    proto,
  };
}

function isDuplicateProtobufError(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'type must be a Type';
}

/** Parses a JSON history (as read from a file) into a History the replay Worker accepts as is. */
export function historyFromJson(json: unknown): History {
  try {
    return historyFromJSON(json);
  } catch (error) {
    if (!isDuplicateProtobufError(error)) throw error;
    const { json: protojson, historyType } = protoOwnJson();
    return protojson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History;
  }
}

/** Serialises a History (e.g. from `handle.fetchHistory()`) to pretty JSON. */
export function historyToJson(history: History): string {
  let text: string;
  try {
    text = historyToJSON(history);
  } catch (error) {
    if (!isDuplicateProtobufError(error)) throw error;
    const { json: protojson, historyType, proto } = protoOwnJson();
    text = JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)));
  }
  return JSON.stringify(JSON.parse(text), null, 2);
}

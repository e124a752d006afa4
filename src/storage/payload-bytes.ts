/**
 * A Payload as the bytes a storage driver keeps: its protobuf encoding (as Temporal's own drivers in other languages
 * store it), named by the SHA-256 of those bytes, so the same value is stored once and a read can prove it got what
 * was written.
 */
import { createHash } from 'node:crypto';
import type { Payload } from '@temporalio/common';
// A CommonJS package: its protobuf namespaces are properties of the default export.
import proto from '@temporalio/proto';

const PayloadProto = proto.temporal.api.common.v1.Payload;

/** The bytes to store for `payload`. */
export function payloadBytes(payload: Payload): Uint8Array {
  return PayloadProto.encode(payload).finish();
}

/** The Payload stored as `bytes` (metadata and data only: a stored payload is never itself a reference). */
export function payloadOfBytes(bytes: Uint8Array): Payload {
  const decoded = PayloadProto.decode(bytes);
  return { metadata: { ...decoded.metadata }, data: decoded.data };
}

/** The content address of stored bytes: their SHA-256, in hex. */
export function contentKey(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

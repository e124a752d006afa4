/**
 * A Payload as bytes and back, in the Protocol Buffers form of `temporal.api.common.v1.Payload` (metadata = 1, data =
 * 2), which is what Temporal's encryption samples in other languages encrypt: a codec server written for them reads
 * ours. Only these two fields exist on the payloads a codec sees (External Storage's references are made after
 * encoding and resolved before decoding).
 */
import type { Payload } from '@temporalio/common';

const METADATA = 1;
const DATA = 2;
const LEN = 2; // wire type of length-delimited fields

/** The protobuf bytes of `payload` (map entries sorted by key, so equal payloads give equal bytes). */
export function payloadToBytes(payload: Payload): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const key of Object.keys(payload.metadata ?? {}).sort()) {
    const value = payload.metadata![key] ?? new Uint8Array();
    const entry = concat([field(1, new TextEncoder().encode(key)), field(2, value)]);
    parts.push(field(METADATA, entry));
  }
  if (payload.data?.length) parts.push(field(DATA, payload.data));
  return concat(parts);
}

/** The Payload whose protobuf bytes are `bytes`; unknown fields are skipped. */
export function payloadFromBytes(bytes: Uint8Array): Payload {
  const metadata: Record<string, Uint8Array> = {};
  let data: Uint8Array = new Uint8Array();
  for (const [number, value] of fields(bytes)) {
    if (number === METADATA) {
      let key = '';
      let entryValue: Uint8Array = new Uint8Array();
      for (const [n, v] of fields(value)) {
        if (n === 1) key = new TextDecoder().decode(v);
        else if (n === 2) entryValue = v;
      }
      metadata[key] = entryValue;
    } else if (number === DATA) {
      data = value;
    }
  }
  return { metadata, data };
}

function field(number: number, value: Uint8Array): Uint8Array {
  return concat([varint((number << 3) | LEN), varint(value.length), value]);
}

function varint(n: number): Uint8Array {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Uint8Array.from(out);
}

/** The length-delimited fields of a message, as [field number, bytes]; other wire types are skipped. */
function* fields(bytes: Uint8Array): Generator<[number, Uint8Array]> {
  let at = 0;
  const readVarint = (): number => {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (at >= bytes.length) throw new Error('truncated varint in an encrypted payload');
      const b = bytes[at++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 128;
    }
  };
  while (at < bytes.length) {
    const tag = readVarint();
    const wire = tag & 7;
    const number = Math.floor(tag / 8);
    if (wire === LEN) {
      const length = readVarint();
      if (at + length > bytes.length) throw new Error('truncated field in an encrypted payload');
      yield [number, bytes.subarray(at, at + length)];
      at += length;
    } else if (wire === 0) readVarint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`unsupported wire type ${wire} in an encrypted payload`);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

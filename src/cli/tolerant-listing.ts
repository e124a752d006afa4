/**
 * A client for listing threads that lists every thread, even one whose memo this process cannot decode (encrypted
 * under a key it lacks): that memo reads as empty, so the row comes from the thread's search attributes (status,
 * pending nodes), and one such thread no longer ends `durable-graph threads` for every other.
 */
import { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { GraphClient } from '../client.js';

/** A Temporal client on the same connection and namespace whose codecs leave an undecodable payload as `null`. */
export function tolerantListingClient(client: GraphClient): { temporal: Client; unreadable: () => number } {
  const { connection, namespace, dataConverter, identity } = client.temporal.options;
  let unreadable = 0;
  const temporal = new Client({
    connection: connection ?? client.temporal.connection,
    namespace,
    identity,
    dataConverter: {
      ...dataConverter,
      payloadCodecs: [
        tolerant(dataConverter?.payloadCodecs ?? [], () => {
          unreadable++;
        }),
      ],
    },
  });
  return { temporal, unreadable: () => unreadable };
}

/** JSON `null`, standing in for a payload that could not be decoded. */
const NULL_PAYLOAD: Payload = {
  metadata: { encoding: new TextEncoder().encode('json/plain') },
  data: new TextEncoder().encode('null'),
};

/** The codecs in a chain, each payload decoded on its own; one that fails becomes `null`. */
function tolerant(codecs: readonly PayloadCodec[], failed: () => void): PayloadCodec {
  return {
    async encode(payloads) {
      let encoded = payloads;
      for (const codec of codecs) encoded = await codec.encode(encoded);
      return encoded;
    },
    async decode(payloads) {
      return Promise.all(
        payloads.map(async (payload) => {
          try {
            let decoded = [payload];
            for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
            return decoded[0]!;
          } catch {
            failed();
            return NULL_PAYLOAD;
          }
        }),
      );
    },
  };
}

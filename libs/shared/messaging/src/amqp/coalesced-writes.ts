import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';

/** amqplib's frame multiplexer (lib/mux.js), which the package neither exports nor types. */
interface Mux {
  out: Writable;
  _readIncoming: (this: Mux) => void;
}

const COALESCING = Symbol('ms:coalescing');

/**
 * amqplib's Mux moves the frames its channels queued to the socket in a turn, but with one
 * `socket.write` per frame: an RPC server's reply and the ack of the request it answers are two
 * syscalls and two TCP segments, and under load a turn holds many more. Corking the socket for the
 * turn sends them in one `writev`; nothing waits for a timer. The history page read went from
 * 1 531 to 1 776 calls a second at 64 connections (docs/performance/README.md).
 *
 * Applied once per process, to every amqplib connection (ours, and Nest's RPC client and server).
 * `coalesced-writes.integration-spec.ts` checks that it still takes hold after an amqplib upgrade.
 */
export function coalesceAmqpWrites(): void {
  const prototype = amqplibMux().prototype as Mux & { [COALESCING]?: true };
  if (prototype[COALESCING]) return;
  const readIncoming = prototype._readIncoming;
  prototype._readIncoming = function (this: Mux): void {
    this.out.cork();
    try {
      readIncoming.call(this);
    } finally {
      this.out.uncork();
    }
  };
  prototype[COALESCING] = true;
}

function amqplibMux(): { prototype: Mux } {
  // The package's `exports` hide lib/, so it is loaded by its path.
  const load = createRequire(__filename);
  const lib = join(dirname(load.resolve('amqplib')), 'lib', 'mux.js');
  return (load(lib) as { Mux: { prototype: Mux } }).Mux;
}

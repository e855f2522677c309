// A lean HTTP/1.1 keep-alive client for the load generator: one socket per connection, requests
// written as prebuilt text, answers parsed only as far as status, length and (on errors) body.
// node:http's client costs several times the CPU per call of a small server's answer, which would
// make the generator the bottleneck when it shares two cores with the servers it measures.
import net from 'node:net';

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

/**
 * The text of one request. `headers` are added as given; a body is sent as JSON with its length.
 * Pure.
 */
export function requestText({ method = 'GET', path, host, headers = {}, body }) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  let text = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const [name, value] of Object.entries(headers)) text += `${name}: ${value}\r\n`;
  if (body !== undefined) {
    text += `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(payload)}\r\n`;
  }
  return `${text}\r\n${payload}`;
}

/**
 * Takes one whole response off the front of `buffer`: `{ status, body, rest }`, or undefined while
 * it is incomplete. Bodies by content-length or chunked; `body` is a Buffer. Pure.
 */
export function takeResponse(buffer) {
  const headerEnd = buffer.indexOf(HEADERS_END);
  if (headerEnd < 0) return undefined;
  const head = buffer.toString('latin1', 0, headerEnd);
  const status = Number(head.slice(9, 12));
  const start = headerEnd + 4;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) {
    const end = start + Number(length[1]);
    if (buffer.length < end) return undefined;
    return { status, body: buffer.subarray(start, end), rest: buffer.subarray(end) };
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const parts = [];
    let at = start;
    for (;;) {
      const lineEnd = buffer.indexOf(CRLF, at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
      const dataStart = lineEnd + 2;
      if (size === 0) {
        // No trailers are sent by the servers measured: the last chunk ends with one CRLF.
        if (buffer.length < dataStart + 2) return undefined;
        return { status, body: Buffer.concat(parts), rest: buffer.subarray(dataStart + 2) };
      }
      if (buffer.length < dataStart + size + 2) return undefined;
      parts.push(buffer.subarray(dataStart, dataStart + size));
      at = dataStart + size + 2;
    }
  }
  // No length (204, 304): no body.
  return { status, body: Buffer.alloc(0), rest: buffer.subarray(start) };
}

/** The error key of an answer: `422 POINTS_INSUFFICIENT`, `0 ECONNRESET`. Pure. */
export function errorKey({ status, body, error }) {
  if (error) return `${status} ${error}`;
  let code = '';
  try {
    code = JSON.parse(body.toString('utf8'))?.code ?? '';
  } catch {
    // not JSON
  }
  return `${status} ${code}`.trim();
}

/**
 * One keep-alive connection to `host:port`, one request at a time. `send(text)` resolves with
 * `{ status, body }` or `{ status: 0, error }`; a broken socket is reopened on the next send.
 */
export class RawConnection {
  #socket;
  #pending;
  #buffer = Buffer.alloc(0);
  #timer;

  constructor(host, port, timeoutMs = 15_000) {
    this.host = host;
    this.port = port;
    this.timeoutMs = timeoutMs;
  }

  #open() {
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      const answer = takeResponse(this.#buffer);
      if (!answer) return;
      this.#buffer = answer.rest;
      this.#settle({ status: answer.status, body: answer.body });
    });
    const broken = (error) => {
      if (this.#socket === socket) this.#socket = undefined;
      this.#buffer = Buffer.alloc(0);
      this.#settle({ status: 0, error: error?.code ?? 'ECONNRESET' });
    };
    socket.on('error', broken);
    socket.on('close', () => broken());
    this.#socket = socket;
  }

  #settle(answer) {
    clearTimeout(this.#timer);
    const resolve = this.#pending;
    this.#pending = undefined;
    resolve?.(answer);
  }

  send(text) {
    if (!this.#socket) this.#open();
    return new Promise((resolve) => {
      this.#pending = resolve;
      this.#timer = setTimeout(() => {
        this.#socket?.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' }));
      }, this.timeoutMs);
      this.#socket.write(text);
    });
  }

  close() {
    clearTimeout(this.#timer);
    this.#socket?.destroy();
    this.#socket = undefined;
  }
}

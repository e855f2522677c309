// Unit tests of the dev runner's log line formatting (node --test "tools/dev/*.test.mjs").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clock, formatLogLine, formatValue } from './log-format.mjs';

const now = new Date('2026-11-25T08:00:00.000Z');
const plain = { utc: true, now };
const record = (fields) =>
  JSON.stringify({
    level: 'info',
    time: '2026-11-25T08:15:30.042Z',
    service: 'gateway',
    ...fields,
  });

describe('formatLogLine', () => {
  it('prints time, padded app name, level and message, then the other fields as key=value', () => {
    const line = record({
      msg: 'request',
      correlationId: 'c-1',
      method: 'POST',
      status: 201,
      ms: 12.5,
    });

    assert.equal(
      formatLogLine(line, { app: 'gateway', ...plain }),
      '08:15:30.042 gateway         INFO  request correlationId=c-1 method=POST status=201 ms=12.5',
    );
  });

  it('lines up every app name in one column', () => {
    const short = formatLogLine(record({ msg: 'x' }), { app: 'gateway', ...plain });
    const long = formatLogLine(record({ msg: 'x' }), { app: 'benefit-service', ...plain });

    assert.equal(short.indexOf('INFO'), long.indexOf('INFO'));
    assert.match(long, /^08:15:30\.042 benefit-service INFO {2}x$/);
  });

  it('quotes strings with spaces and writes objects and arrays as JSON', () => {
    const line = record({
      msg: 'service started',
      subscriptions: ['a.v1'],
      note: 'two words',
      nothing: null,
    });

    assert.equal(
      formatLogLine(line, { app: 'member-service', ...plain }),
      '08:15:30.042 member-service  INFO  service started subscriptions=["a.v1"] note="two words" nothing=null',
    );
  });

  it('prints the error stack below the line, indented, and err fields other than the stack inline', () => {
    const line = record({
      level: 'error',
      msg: 'handler failed',
      err: {
        type: 'Error',
        message: 'boom',
        stack: 'Error: boom\n    at handle (x.js:1:1)',
        code: 'E1',
      },
    });

    const [first, ...rest] = formatLogLine(line, { app: 'point-service', ...plain }).split('\n');

    assert.equal(first, '08:15:30.042 point-service   ERROR handler failed err.code=E1');
    assert.deepEqual(rest, [
      `${' '.repeat(35)}Error: boom`,
      `${' '.repeat(35)}    at handle (x.js:1:1)`,
    ]);
  });

  it("shows an error without a stack inline, and Nest's top-level stack below", () => {
    const noStack = record({
      level: 'warn',
      msg: 'retrying',
      err: { type: 'TimeoutError', message: 'late' },
    });
    const nest = record({
      level: 'error',
      msg: 'Unhandled',
      context: 'ExceptionHandler',
      stack: 'Error: x\n    at y',
    });

    assert.equal(
      formatLogLine(noStack, { app: 'gateway', ...plain }),
      '08:15:30.042 gateway         WARN  retrying err="TimeoutError: late"',
    );
    assert.equal(formatLogLine(nest, { app: 'gateway', ...plain }).split('\n').length, 3);
  });

  it('understands numeric pino levels', () => {
    const line = JSON.stringify({ level: 50, time: '2026-11-25T08:15:30.042Z', msg: 'bad' });

    assert.match(formatLogLine(line, { app: 'gateway', ...plain }), / ERROR bad$/);
  });

  it('passes non-JSON lines through with the prefix and the arrival time', () => {
    assert.equal(
      formatLogLine('Invalid configuration: JWT_SECRET too short', { app: 'gateway', ...plain }),
      '08:00:00.000 gateway               Invalid configuration: JWT_SECRET too short',
    );
    assert.match(formatLogLine('{not json', { app: 'gateway', ...plain }), /gateway +\{not json$/);
    assert.match(formatLogLine('42', { app: 'gateway', ...plain }), /gateway +42$/);
  });

  it('with json: true prints the raw line after the app name', () => {
    const line = record({ msg: 'hi' });

    assert.equal(
      formatLogLine(line, { app: 'event-service', json: true }),
      `event-service   ${line}`,
    );
  });

  it('colors the app name and the level only when asked', () => {
    const warn = record({ level: 'warn', msg: 'careful' });
    const error = record({ level: 'error', msg: 'broken' });

    const colored = formatLogLine(warn, {
      app: 'gateway',
      appColor: '\x1b[36m',
      color: true,
      ...plain,
    });
    assert.ok(colored.includes('\x1b[36mgateway        \x1b[0m'));
    assert.ok(colored.includes('\x1b[33mWARN \x1b[0m'));
    assert.ok(
      formatLogLine(error, { app: 'gateway', color: true, ...plain }).includes(
        '\x1b[31mERROR\x1b[0m',
      ),
    );
    assert.ok(
      !formatLogLine(warn, { app: 'gateway', appColor: '\x1b[36m', ...plain }).includes('\x1b['),
    );
  });
});

describe('clock and formatValue', () => {
  it('clock pads every part', () => {
    assert.equal(clock(new Date('2026-01-02T03:04:05.006Z'), true), '03:04:05.006');
  });

  it('formatValue keeps simple strings bare', () => {
    assert.equal(formatValue('abc-1'), 'abc-1');
    assert.equal(formatValue(''), '""');
    assert.equal(formatValue('a=b'), '"a=b"');
    assert.equal(formatValue({ a: 1 }), '{"a":1}');
    assert.equal(formatValue(true), 'true');
  });
});

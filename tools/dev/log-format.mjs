// Turns the apps' pino JSON log lines into readable, prefixed console lines (pure, unit-tested).

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';

/** One color per app, in fleet order; none of them is the warn or error color. */
export const APP_COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[94m', '\x1b[32m', '\x1b[96m'];

/** Wide enough for the longest app name, "benefit-service". */
export const NAME_WIDTH = 15;

const LEVEL_COLORS = { trace: DIM, debug: DIM, warn: YELLOW, error: RED, fatal: `\x1b[1m${RED}` };
/** pino's numeric levels, for records written without the label formatter. */
const NUMERIC_LEVELS = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
/** Fields shown in the fixed columns or below the line, or that only repeat the prefix. */
const HIDDEN_FIELDS = new Set([
  'level',
  'time',
  'service',
  'msg',
  'err',
  'stack',
  'pid',
  'hostname',
]);
/** "HH:MM:SS.mmm " + name + " " + level + " ": where the message starts. */
const MESSAGE_COLUMN = 13 + NAME_WIDTH + 1 + 6;

const paint = (color, text, enabled) => (enabled && color ? `${color}${text}${RESET}` : text);
const pad2 = (n) => String(n).padStart(2, '0');

/** HH:MM:SS.mmm of a Date, in local time or UTC. */
export function clock(date, utc = false) {
  const [h, m, s, ms] = utc
    ? [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()]
    : [date.getHours(), date.getMinutes(), date.getSeconds(), date.getMilliseconds()];
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}.${String(ms).padStart(3, '0')}`;
}

/** A value for `key=value`: bare when that is unambiguous, JSON otherwise. */
export function formatValue(value) {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return JSON.stringify(value);
}

function parseRecord(line) {
  if (!line.startsWith('{')) return undefined;
  try {
    const record = JSON.parse(line);
    return record && typeof record === 'object' && !Array.isArray(record) ? record : undefined;
  } catch {
    return undefined;
  }
}

function levelOf(record) {
  const level = typeof record.level === 'number' ? NUMERIC_LEVELS[record.level] : record.level;
  return typeof level === 'string' ? level.toLowerCase() : 'info';
}

/**
 * Formats one line an app printed.
 * - a pino JSON record → `HH:MM:SS.mmm gateway         INFO  message key=value ...`, with the
 *   error stack (`err.stack`, or Nest's `stack`) below, indented;
 * - anything else → the same prefix (arrival time, app) and the line as it is;
 * - `json: true` → the app prefix and the raw line.
 * Colors only with `color: true`. May return several lines joined by "\n".
 *
 * @param {string} line
 * @param {{ app: string, appColor?: string, color?: boolean, json?: boolean, utc?: boolean, now?: Date }} options
 */
export function formatLogLine(
  line,
  { app, appColor, color = false, json = false, utc = false, now = new Date() },
) {
  const name = paint(appColor, app.padEnd(NAME_WIDTH), color);
  if (json) return `${name} ${line}`;

  const record = parseRecord(line);
  if (!record) return `${clock(now, utc)} ${name} ${' '.repeat(5)} ${line}`;

  const time = new Date(record.time ?? now);
  const level = levelOf(record);
  const head = [
    clock(Number.isNaN(time.getTime()) ? now : time, utc),
    name,
    paint(LEVEL_COLORS[level], level.toUpperCase().padEnd(5), color),
  ].join(' ');

  const fields = Object.entries(record).filter(
    ([key, value]) => !HIDDEN_FIELDS.has(key) && value !== undefined,
  );
  const err = record.err && typeof record.err === 'object' ? record.err : undefined;
  const stack =
    typeof err?.stack === 'string'
      ? err.stack
      : typeof record.stack === 'string'
        ? record.stack
        : '';
  if (err) {
    const { type, message, stack: _stack, ...rest } = err;
    if (!stack) fields.push(['err', [type, message].filter(Boolean).join(': ')]);
    fields.push(...Object.entries(rest).map(([key, value]) => [`err.${key}`, value]));
  } else if (record.err !== undefined) {
    fields.push(['err', record.err]);
  }

  const pairs = fields.map(
    ([key, value]) => `${paint(DIM, `${key}=`, color)}${formatValue(value)}`,
  );
  const message = [
    typeof record.msg === 'string' ? record.msg : formatValue(record.msg ?? ''),
    ...pairs,
  ]
    .filter((part) => part !== '')
    .join(' ');
  const below = stack
    .split('\n')
    .filter((stackLine) => stackLine.trim() !== '')
    .map((stackLine) => `${' '.repeat(MESSAGE_COLUMN)}${paint(DIM, stackLine, color)}`);
  return [`${head} ${message}`, ...below].join('\n');
}

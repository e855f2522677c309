#!/usr/bin/env node
// `npm run token -- --sub 42 --roles member`: prints a bearer token that a local fleet accepts.
import { parseArgs } from 'node:util';
import {
  ADMIN_PERMISSIONS,
  DEFAULT_TTL_SECONDS,
  DEV_JWT_AUDIENCE,
  DEV_JWT_ISSUER,
  ROLES,
  mintToken,
} from './lib/jwt.mjs';

const USAGE = `Usage: npm run token -- --sub <subject> [--roles <list>] [--perms <list>|all] [--ttl <seconds>]

Prints an HS256 JWT for a local fleet.

  --sub <subject>    platform user id, a positive decimal number (required); for a
                     service token the service's name, e.g. cart-service
  --roles <list>     comma-separated: ${ROLES.join(', ')} (default: member)
  --perms <list>     comma-separated admin permissions, or "all" (default: none)
                     ${ADMIN_PERMISSIONS.join(', ')}
  --ttl <seconds>    lifetime in seconds (default: ${DEFAULT_TTL_SECONDS})
  -h, --help         show this help

Environment:
  JWT_SECRET         signing secret (default: member-system-dev-secret)
  JWT_ISSUER         issuer (default: ${DEV_JWT_ISSUER})
  JWT_AUDIENCE       audience (default: ${DEV_JWT_AUDIENCE})

Examples:
  npm run token -- --sub 42
  npm run token -- --sub 1 --roles admin --perms all
  npm run token -- --sub cart-service --roles service
  npm run token -- --sub 7 --roles admin --perms members:read,audit:read --ttl 3600`;

/** Splits a comma-separated option into trimmed, non-empty items. */
const list = (value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

function fail(message) {
  console.error(`token: ${message}\n\n${USAGE}`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      sub: { type: 'string' },
      roles: { type: 'string', default: 'member' },
      perms: { type: 'string', default: '' },
      ttl: { type: 'string', default: String(DEFAULT_TTL_SECONDS) },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.sub === undefined) fail('--sub is required');
if (!/^\d+$/.test(values.ttl))
  fail(`--ttl must be a positive whole number of seconds, got "${values.ttl}"`);

const perms = list(values.perms).flatMap((perm) => (perm === 'all' ? ADMIN_PERMISSIONS : [perm]));

try {
  const token = mintToken({
    sub: values.sub,
    roles: list(values.roles),
    perms,
    ttlSeconds: Number(values.ttl),
  });
  console.log(token);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

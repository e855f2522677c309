// The "fleet is up" banner: URLs, ready-made tokens and a first curl to try (pure).

/**
 * @param {{ apps: Array<{ name: string, port: number }>, memberToken: string, adminToken: string,
 *   seconds: number, host?: string, color?: boolean }} options
 */
export function formatBanner({
  apps,
  memberToken,
  adminToken,
  seconds,
  host = 'localhost',
  color = false,
}) {
  const bold = (text) => (color ? `\x1b[1m${text}\x1b[0m` : text);
  const rule = '─'.repeat(78);
  const gateway = apps.find((app) => app.name === 'gateway');
  const base = gateway && `http://${host}:${gateway.port}`;
  const lines = [
    '',
    rule,
    bold(
      `  Member System is up: ${apps.map((app) => app.name).join(', ')} ready in ${seconds.toFixed(1)} s`,
    ),
    '',
  ];
  if (base) {
    lines.push(
      `  API        ${base}/api/v1`,
      `  OpenAPI    ${base}/docs   (JSON: ${base}/docs-json)`,
    );
  }
  apps.forEach((app, index) => {
    const label = index === 0 ? '  Health    ' : ' '.repeat(12);
    lines.push(`${label} ${app.name.padEnd(16)} http://${host}:${app.port}/health/ready`);
  });
  lines.push(
    '',
    '  Member token (sub 10001, role member, 24 h):',
    `    ${memberToken}`,
    '  Admin token (sub 1, role admin, all permissions, 24 h):',
    `    ${adminToken}`,
  );
  if (base) {
    lines.push(
      '',
      '  Try:',
      `    curl -X POST ${base}/api/v1/members -H "Authorization: Bearer ${memberToken}" -H 'Content-Type: application/json' -d '{"nickname":"Ann"}'`,
    );
  }
  lines.push('', '  More tokens: npm run token -- --help    Stop: Ctrl-C', rule, '');
  return lines.join('\n');
}

// Runs the real backup/ scripts as the backup image does, and looks at a server's schemas the
// way a restore should leave them.
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { Connection } from 'mysql2/promise';
import { repoRoot, waitFor } from '@member-system/shared/testing';

const run = promisify(execFile);

export interface BackupSettings {
  mysql: { host: string; port: number; user: string; password: string };
  schemas: string[];
  backupDir: string;
  redis?: { host: string; port: number };
  /** More settings: encryption (BACKUP_AGE_*), the remote (BACKUP_REMOTE, RCLONE_CONFIG_*). */
  env?: Record<string, string>;
}

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `member-backup` or `member-restore` with its arguments; resolves with how it ended. */
export async function runBackupScript(
  script: 'member-backup' | 'member-restore',
  args: string[],
  settings: BackupSettings,
): Promise<ScriptResult> {
  // Only the settings given here: none inherited from whoever runs the tests.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(BACKUP_|RCLONE_)/.test(name)),
  );
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    MYSQL_HOST: settings.mysql.host,
    MYSQL_PORT: String(settings.mysql.port),
    MYSQL_USER: settings.mysql.user,
    MYSQL_PASSWORD: settings.mysql.password,
    MYSQL_DATABASES: settings.schemas.join(','),
    BACKUP_DIR: settings.backupDir,
    REDIS_HOST: settings.redis?.host ?? '127.0.0.1',
    REDIS_PORT: String(settings.redis?.port ?? 6379),
    ...settings.env,
  };
  delete env['MYSQL_PWD'];
  delete env['MEMBER_RESTORE_CONFIRM'];
  try {
    const { stdout, stderr } = await run(join(repoRoot, 'backup/bin', script), args, {
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Like runBackupScript, but a non-zero exit is an error that shows what the script said. */
export async function backupScriptSucceeds(
  script: 'member-backup' | 'member-restore',
  args: string[],
  settings: BackupSettings,
): Promise<ScriptResult> {
  const result = await runBackupScript(script, args, settings);
  if (result.code !== 0) {
    throw new Error(`${script} ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  }
  return result;
}

/**
 * Every table of the schemas with its row checksum (`CHECKSUM TABLE`): equal snapshots mean
 * equal contents, whatever the tables' physical layout.
 */
export async function schemaChecksums(
  connection: Connection,
  schemas: string[],
): Promise<Record<string, string>> {
  const [tables] = await connection.query(
    `SELECT CONCAT('\`', table_schema, '\`.\`', table_name, '\`') AS name
       FROM information_schema.tables
      WHERE table_schema IN (?) AND table_type = 'BASE TABLE'
      ORDER BY table_schema, table_name`,
    [schemas],
  );
  const names = (tables as Array<{ name: string }>).map((table) => table.name);
  if (names.length === 0) return {};
  const [rows] = await connection.query(`CHECKSUM TABLE ${names.join(', ')}`);
  return Object.fromEntries(
    (rows as Array<{ Table: string; Checksum: unknown }>).map((row) => [
      row.Table,
      String(row.Checksum),
    ]),
  );
}

/**
 * Waits until the fleet has nothing left to do in these schemas: every outbox row published and
 * the contents unchanged over a few consecutive looks, so a snapshot taken now is the state a
 * backup taken now holds.
 */
export async function waitForQuietSchemas(
  connection: Connection,
  schemas: string[],
): Promise<Record<string, string>> {
  const [outboxes] = await connection.query(
    `SELECT table_schema AS name FROM information_schema.tables
      WHERE table_schema IN (?) AND table_name = 'outbox_message'`,
    [schemas],
  );
  const unpublished = (outboxes as Array<{ name: string }>)
    .map(
      ({ name }) =>
        `SELECT COUNT(*) AS n FROM \`${name}\`.outbox_message WHERE published_at IS NULL`,
    )
    .join(' UNION ALL ');
  let last = '';
  let sameFor = 0;
  return waitFor(
    async () => {
      const [counts] = await connection.query(`SELECT SUM(n) AS pending FROM (${unpublished}) c`);
      const pending = Number((counts as Array<{ pending: unknown }>)[0]?.pending ?? 0);
      const snapshot = await schemaChecksums(connection, schemas);
      const current = JSON.stringify(snapshot);
      sameFor = pending === 0 && current === last ? sameFor + 1 : 0;
      last = current;
      return sameFor >= 3 ? snapshot : false;
    },
    { timeoutMs: 30_000, intervalMs: 200, what: 'the fleet to finish its work in the schemas' },
  );
}

/** An age key pair made with age-keygen: the identity (private key) file and its recipient. */
export async function ageKeyPair(
  dir: string,
  name: string,
): Promise<{ identityFile: string; recipient: string }> {
  const identityFile = join(dir, name);
  await run('age-keygen', ['-o', identityFile]);
  const recipient = /^# public key: (age1\w+)$/m.exec(await readFile(identityFile, 'utf8'))?.[1];
  if (!recipient) throw new Error(`age-keygen wrote no public key into ${identityFile}`);
  return { identityFile, recipient };
}

/** A backup file decrypted with an age identity. */
export async function decryptWith(identityFile: string, file: string): Promise<Buffer> {
  const { stdout } = await run('age', ['--decrypt', '--identity', identityFile, file], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

/** Every file under a directory, as paths relative to it, sorted. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

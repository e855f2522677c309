// What a benchmark ran on: machine, versions, durability settings and the code measured.
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';

/** `db` is a mysql2 connection, `env` the BenchEnvironment, `loadAtStart` os.loadavg() at the start. */
export async function describeMachine({ root, env, db, loadAtStart }) {
  const [[row]] = await db.query(
    'SELECT VERSION() AS version, @@innodb_flush_log_at_trx_commit AS flush, @@log_bin AS binlog, @@innodb_buffer_pool_size AS pool, @@innodb_log_file_size AS redo',
  );
  const cpus = os.cpus();
  const git = (...args) =>
    promisify(execFile)('git', args, { cwd: root }).then(({ stdout }) => stdout.trim());
  const commit = await git('rev-parse', '--short', 'HEAD').catch(() => 'unknown');
  const dirty = await git('status', '--porcelain', 'apps', 'libs').catch(() => '');
  return {
    code: `${commit}${dirty ? ' with uncommitted changes in apps/ or libs/' : ''}`,
    date: new Date().toISOString(),
    loadAverage: loadAtStart.map((load) => load.toFixed(2)).join(' '),
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    mysql: /mariadb/i.test(row.version) ? `MariaDB ${row.version}` : `MySQL ${row.version}`,
    rabbitmq: await env.rabbitVersion().catch(() => '(version unknown)'),
    durability: `innodb_flush_log_at_trx_commit=${row.flush}, binary log ${Number(row.binlog) ? 'on' : 'off'}`,
    bufferPool: `${Math.round(Number(row.pool) / 2 ** 20)} MB`,
    redoLog: `${Math.round(Number(row.redo) / 2 ** 20)} MB`,
  };
}

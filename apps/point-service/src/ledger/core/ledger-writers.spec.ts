import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LEDGER_TABLES } from './ledger-tables';

const SERVICE_SOURCE = join(__dirname, '..', '..');
const CORE = __dirname;
const MIGRATIONS = join(SERVICE_SOURCE, 'database', 'migrations');

/** Every statement that writes a table, with the table it names. */
const WRITE = /\b(?:INSERT\s+(?:IGNORE\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+`?(\w+)`?/gi;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** `file: table` for each write of a ledger table in `files`. */
function ledgerWrites(files: readonly string[]): string[] {
  const tables = new Set<string>(LEDGER_TABLES);
  return files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(WRITE)]
      .map((match) => match[1]?.toLowerCase() ?? '')
      .filter((table) => tables.has(table))
      .map((table) => `${relative(SERVICE_SOURCE, file)}: ${table}`),
  );
}

describe('the ledger core', () => {
  it('is the only code of point-service that writes the ledger tables', () => {
    const outside = sourceFiles(SERVICE_SOURCE).filter(
      (file) => !file.startsWith(CORE) && !file.startsWith(MIGRATIONS),
    );
    expect(ledgerWrites(outside)).toEqual([]);
  });

  it('finds the writes it guards against (the guard is not blind)', () => {
    expect(ledgerWrites(sourceFiles(CORE)).length).toBeGreaterThan(LEDGER_TABLES.length);
  });
});

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

/**
 * The one CQRS layout of every service: `<feature>/commands/<name>/` holds `<name>.command.ts`
 * and `<name>.handler.ts` (`@CommandHandler(<Name>Command)` on `<Name>Handler`), queries the same
 * under `<feature>/queries/<name>/`; controllers and consumers reach handlers only through the
 * buses. Returns what breaks the layout under a service's `src`, one line each.
 */
export function cqrsLayoutProblems(serviceSrc: string): string[] {
  const problems: string[] = [];
  for (const file of filesUnder(serviceSrc)) {
    const path = relative(serviceSrc, file);
    const parts = path.split('/');
    const kindIndex = parts.findIndex((part) => part === 'commands' || part === 'queries');
    if (kindIndex >= 0) {
      problems.push(...useCaseProblems(serviceSrc, parts, kindIndex));
    } else if (/\.(rpc-controller|events-consumer)\.ts$/.test(path)) {
      if (/from '[^']*\/(commands|queries)\/[^']*\.handler'/.test(readFileSync(file, 'utf8'))) {
        problems.push(`${path}: imports a handler; dispatch through the buses`);
      }
    } else if (/\.handler\.ts$/.test(path)) {
      problems.push(`${path}: a handler outside <feature>/commands or <feature>/queries`);
    }
  }
  return [...new Set(problems)].sort();
}

function useCaseProblems(serviceSrc: string, parts: string[], kindIndex: number): string[] {
  const kind = parts[kindIndex] === 'commands' ? 'command' : 'query';
  if (parts.length !== kindIndex + 3) {
    const kindFolder = parts.slice(0, kindIndex + 1).join('/');
    return [`${parts.join('/')}: not inside a use case folder ${kindFolder}/<name>/`];
  }
  const folder = parts.slice(0, kindIndex + 2).join('/');
  const name = parts[kindIndex + 1] ?? '';
  const messageFile = join(serviceSrc, folder, `${name}.${kind}.ts`);
  const handlerFile = join(serviceSrc, folder, `${name}.handler.ts`);
  if (!existsSync(messageFile)) return [`${folder}: no ${name}.${kind}.ts`];
  if (!existsSync(handlerFile)) return [`${folder}: no ${name}.handler.ts`];
  const pascal = name.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());
  const message = `${pascal}${kind === 'command' ? 'Command' : 'Query'}`;
  const decorator = kind === 'command' ? 'CommandHandler' : 'QueryHandler';
  const problems: string[] = [];
  if (!readFileSync(messageFile, 'utf8').includes(`export class ${message} `)) {
    problems.push(`${folder}/${name}.${kind}.ts: no class ${message}`);
  }
  const handler = readFileSync(handlerFile, 'utf8');
  if (
    !handler.includes(`@${decorator}(${message})`) ||
    !handler.includes(`class ${pascal}Handler `)
  ) {
    problems.push(`${folder}/${name}.handler.ts: no @${decorator}(${message}) on ${pascal}Handler`);
  }
  return problems;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'migrations' ? [] : filesUnder(path);
    return basename(path).endsWith('.ts') ? [path] : [];
  });
}

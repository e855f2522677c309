import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cqrsLayoutProblems } from './cqrs-layout';

describe(cqrsLayoutProblems.name, () => {
  let src: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(src, path)), { recursive: true });
    writeFileSync(join(src, path), text);
  };

  beforeEach(() => {
    src = mkdtempSync(join(tmpdir(), 'cqrs-layout-'));
    write('ledger/commands/check-in/check-in.command.ts', 'export class CheckInCommand extends');
    write(
      'ledger/commands/check-in/check-in.handler.ts',
      '@CommandHandler(CheckInCommand)\nexport class CheckInHandler implements',
    );
    write(
      'ledger/queries/get-balance/get-balance.query.ts',
      'export class GetBalanceQuery extends',
    );
    write(
      'ledger/queries/get-balance/get-balance.handler.ts',
      '@QueryHandler(GetBalanceQuery)\nexport class GetBalanceHandler implements',
    );
    write(
      'ledger/ledger.rpc-controller.ts',
      "import { CheckInHandler } from './commands/check-in/check-in.handler';",
    );
  });
  afterEach(() => rmSync(src, { recursive: true, force: true }));

  it('accepts one folder per use case with its message and its handler', () => {
    write(
      'ledger/ledger.rpc-controller.ts',
      "import { CheckInCommand } from './commands/check-in/check-in.command';",
    );
    expect(cqrsLayoutProblems(src)).toEqual([]);
  });

  it('names a flat handler, a missing message, a wrong decorator and a controller import', () => {
    write('ledger/commands/use-points.handler.ts', '');
    write('ledger/queries/list-expiring/list-expiring.handler.ts', '');
    write(
      'ledger/commands/check-in/check-in.handler.ts',
      '@Injectable()\nexport class CheckInHandler {',
    );
    write('ledger/holds.handler.ts', '');
    expect(cqrsLayoutProblems(src)).toEqual([
      'ledger/commands/check-in/check-in.handler.ts: no @CommandHandler(CheckInCommand) on CheckInHandler',
      'ledger/commands/use-points.handler.ts: not inside a use case folder ledger/commands/<name>/',
      'ledger/holds.handler.ts: a handler outside <feature>/commands or <feature>/queries',
      'ledger/ledger.rpc-controller.ts: imports a handler; dispatch through the buses',
      'ledger/queries/list-expiring: no list-expiring.query.ts',
    ]);
  });
});

import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { PointsResult } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { Ledger, USE_ORDER } from '../../core/ledger';
import { UsePointsCommand } from './use-points.command';

/** `POST /points/me/use`: one spend per order; a repeat with the same order returns the first result. */
@CommandHandler(UsePointsCommand)
export class UsePointsHandler implements ICommandHandler<UsePointsCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
  ) {}

  async execute({ userId, use }: UsePointsCommand): Promise<PointsResult> {
    const account = await this.accounts.ofUser(this.dataSource.manager, userId);
    return this.ledger.spend(account, {
      points: use.points,
      source: 'order',
      sourceId: use.orderId,
      kind: USE_ORDER,
      at: this.clock.now(),
      ...(use.reason === undefined ? {} : { note: use.reason }),
    });
  }
}

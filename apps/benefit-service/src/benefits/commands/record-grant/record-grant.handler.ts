import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { Grants } from '../../grants';
import { HoldingsCache } from '../../holdings-cache';
import { RecordGrantCommand } from './record-grant.command';

@CommandHandler(RecordGrantCommand)
export class RecordGrantHandler implements ICommandHandler<RecordGrantCommand> {
  constructor(
    private readonly grants: Grants,
    private readonly holdings: HoldingsCache,
  ) {}

  async execute({ manager, afterCommit, granted }: RecordGrantCommand): Promise<void> {
    // The member's cached holdings are dropped once the event's transaction commits.
    this.holdings.trackEvent(manager, afterCommit);
    await this.grants.record(manager, granted);
  }
}

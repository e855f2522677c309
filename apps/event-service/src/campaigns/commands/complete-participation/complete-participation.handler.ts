import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { ParticipationView } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import { ParticipationCompletion } from '../../participation-completion';
import type { JoinedParticipation } from '../../participation-completion';
import { participationById } from '../../participations';
import { CompleteParticipationCommand } from './complete-participation.command';

/** An admin marks a participation completed, once; a settled campaign takes no more. */
@CommandHandler(CompleteParticipationCommand)
export class CompleteParticipationHandler implements ICommandHandler<CompleteParticipationCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly completion: ParticipationCompletion,
  ) {}

  async execute({ participationId }: CompleteParticipationCommand): Promise<ParticipationView> {
    await withTransaction(this.dataSource, async (manager) => {
      const [participation] = await manager.query<
        Array<JoinedParticipation & { status: string; campaign_status: string }>
      >(
        `SELECT p.id, p.campaign_id, p.member_id, p.user_id, p.status, c.status AS campaign_status
           FROM participation p JOIN campaign c ON c.id = p.campaign_id WHERE p.id = ? FOR UPDATE`,
        [participationId],
      );
      if (!participation) {
        throw new AppException(ErrorCode.ParticipationNotFound, 'No such participation', {
          participationId,
        });
      }
      if (participation.status !== 'joined') return;
      if (participation.campaign_status === 'settled') {
        throw new AppException(ErrorCode.CampaignStateConflict, 'The campaign is settled');
      }
      await this.completion.complete(manager, participation);
    });
    return participationById(this.dataSource.manager, participationId);
  }
}

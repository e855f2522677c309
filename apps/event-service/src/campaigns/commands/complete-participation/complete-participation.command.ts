import { Command } from '@nestjs/cqrs';
import type { ParticipationView } from '@member-system/contracts';

/** `POST /admin/participations/{participationId}/complete` */
export class CompleteParticipationCommand extends Command<ParticipationView> {
  constructor(readonly participationId: string) {
    super();
  }
}

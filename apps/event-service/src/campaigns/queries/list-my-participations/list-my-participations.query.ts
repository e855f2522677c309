import { Query } from '@nestjs/cqrs';
import type { ParticipationView } from '@member-system/contracts';

/** `GET /campaigns/me/participations`, for the member of `userId`. */
export class ListMyParticipationsQuery extends Query<ParticipationView[]> {
  constructor(readonly userId: string) {
    super();
  }
}

import { Query } from '@nestjs/cqrs';
import type { ListQueryDto, Page, ParticipationView } from '@member-system/contracts';

/** `GET /campaigns/me/participations`, for the member of `userId`. */
export class ListMyParticipationsQuery extends Query<Page<ParticipationView>> {
  constructor(
    readonly userId: string,
    readonly page: ListQueryDto,
  ) {
    super();
  }
}

import { Query } from '@nestjs/cqrs';
import type { PointsLiabilityReport } from '@member-system/contracts';

export class PointsLiabilityQuery extends Query<PointsLiabilityReport> {}

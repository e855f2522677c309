import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { BenefitView } from '@member-system/contracts';
import { BenefitCatalog } from '../../benefit-catalog';
import { GetBenefitQuery } from './get-benefit.query';

/** BENEFIT_NOT_FOUND for an unknown or removed benefit; read on the primary (a new one is found). */
@QueryHandler(GetBenefitQuery)
export class GetBenefitHandler implements IQueryHandler<GetBenefitQuery> {
  constructor(private readonly catalog: BenefitCatalog) {}

  execute({ benefitId }: GetBenefitQuery): Promise<BenefitView> {
    return this.catalog.viewOrThrow(benefitId);
  }
}

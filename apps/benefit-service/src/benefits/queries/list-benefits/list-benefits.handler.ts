import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { BenefitView, Page } from '@member-system/contracts';
import { ReadDatabase } from '@member-system/shared/service';
import { BenefitCatalog } from '../../benefit-catalog';
import { ListBenefitsQuery } from './list-benefits.query';

/** Every benefit an admin defined and did not remove, disabled ones too, a page at a time. */
@QueryHandler(ListBenefitsQuery)
export class ListBenefitsHandler implements IQueryHandler<ListBenefitsQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    private readonly catalog: BenefitCatalog,
  ) {}

  execute({ filter }: ListBenefitsQuery): Promise<Page<BenefitView>> {
    return this.readDatabase.read((manager) => this.catalog.page(filter, manager));
  }
}

import { Command } from '@nestjs/cqrs';

/** `DELETE /admin/benefits/{benefitId}` */
export class RemoveBenefitCommand extends Command<void> {
  constructor(readonly benefitId: string) {
    super();
  }
}

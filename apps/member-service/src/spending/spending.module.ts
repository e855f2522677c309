import { Module } from '@nestjs/common';
import { LevelsModule } from '../levels/levels.module';
import { MembersModule } from '../members/members.module';
import { ApplyRefundHandler } from './commands/apply-refund/apply-refund.handler';
import { CreditOrderHandler } from './commands/credit-order/credit-order.handler';
import { SpendingEventsConsumer } from './spending.events-consumer';

@Module({
  imports: [MembersModule, LevelsModule],
  providers: [CreditOrderHandler, ApplyRefundHandler, SpendingEventsConsumer],
})
export class SpendingModule {}

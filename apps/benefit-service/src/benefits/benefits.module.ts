import { Module } from '@nestjs/common';
import { MemberLevelsModule } from '../member-levels/member-levels.module';
import { BirthdayGiftsHandler } from '../birthdays/birthday-gifts.handler';
import { BenefitCatalog } from './benefit-catalog';
import { BenefitEngine } from './benefit-engine';
import { BenefitsEventsConsumer } from './benefits.events-consumer';
import { BenefitsRpcController } from './benefits.rpc-controller';
import { ManageBenefitsHandler } from './commands/manage-benefits.handler';
import { UseBenefitHandler } from './commands/use-benefit.handler';
import { BUILT_IN_PLUGINS } from './plugins';
import { BenefitPluginRegistry } from './plugins/plugin-registry';
import { BenefitStatsHandler } from './queries/benefit-stats.handler';
import { MemberBenefitsHandler } from './queries/member-benefits.handler';
import { QuoteHandler } from './queries/quote.handler';
import { Grants } from './grants';
import { HoldingsCache } from './holdings-cache';
import { Quotas } from './quotas';

/**
 * Level benefits. The plugin registry is global to the app, so a module that brings its own
 * plugin class (a new type) only lists it in its providers.
 */
@Module({
  imports: [MemberLevelsModule],
  controllers: [BenefitsRpcController],
  providers: [
    BenefitPluginRegistry,
    ...BUILT_IN_PLUGINS,
    BenefitCatalog,
    BenefitEngine,
    HoldingsCache,
    Quotas,
    Grants,
    QuoteHandler,
    UseBenefitHandler,
    MemberBenefitsHandler,
    BenefitStatsHandler,
    ManageBenefitsHandler,
    BirthdayGiftsHandler,
    BenefitsEventsConsumer,
  ],
  exports: [BenefitPluginRegistry],
})
export class BenefitsModule {}

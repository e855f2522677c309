import { Module } from '@nestjs/common';
import { MemberLevelsModule } from '../member-levels/member-levels.module';
import { GrantBirthdayGiftHandler } from '../birthdays/commands/grant-birthday-gift/grant-birthday-gift.handler';
import { BenefitCatalog } from './benefit-catalog';
import { BenefitEngine } from './benefit-engine';
import { BenefitUsageStats } from './benefit-usage-stats';
import { BenefitsEventsConsumer } from './benefits.events-consumer';
import { BenefitsRpcController } from './benefits.rpc-controller';
import { CancelOrderUsesHandler } from './commands/cancel-order-uses/cancel-order-uses.handler';
import { CreateBenefitHandler } from './commands/create-benefit/create-benefit.handler';
import { RecordGrantHandler } from './commands/record-grant/record-grant.handler';
import { RemoveBenefitHandler } from './commands/remove-benefit/remove-benefit.handler';
import { UpdateBenefitHandler } from './commands/update-benefit/update-benefit.handler';
import { UseBenefitHandler } from './commands/use-benefit/use-benefit.handler';
import { BUILT_IN_PLUGINS } from './plugins';
import { BenefitPluginRegistry } from './plugins/plugin-registry';
import { CheckBenefitEligibilityHandler } from './queries/check-benefit-eligibility/check-benefit-eligibility.handler';
import { GetBenefitHandler } from './queries/get-benefit/get-benefit.handler';
import { GetBenefitStatsHandler } from './queries/get-benefit-stats/get-benefit-stats.handler';
import { GetMyBenefitStatsHandler } from './queries/get-my-benefit-stats/get-my-benefit-stats.handler';
import { GetPriorityHandler } from './queries/get-priority/get-priority.handler';
import { ListBenefitsHandler } from './queries/list-benefits/list-benefits.handler';
import { ListMyBenefitsHandler } from './queries/list-my-benefits/list-my-benefits.handler';
import { QuoteCartHandler } from './queries/quote-cart/quote-cart.handler';
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
    BenefitUsageStats,
    HoldingsCache,
    Quotas,
    Grants,
    // commands
    UseBenefitHandler,
    CancelOrderUsesHandler,
    RecordGrantHandler,
    CreateBenefitHandler,
    UpdateBenefitHandler,
    RemoveBenefitHandler,
    GrantBirthdayGiftHandler,
    // queries
    ListMyBenefitsHandler,
    CheckBenefitEligibilityHandler,
    GetPriorityHandler,
    QuoteCartHandler,
    GetMyBenefitStatsHandler,
    GetBenefitHandler,
    GetBenefitStatsHandler,
    ListBenefitsHandler,
    BenefitsEventsConsumer,
  ],
  exports: [BenefitPluginRegistry],
})
export class BenefitsModule {}

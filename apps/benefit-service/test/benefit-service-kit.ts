import type { INestApplicationContext, Type } from '@nestjs/common';
import { EVENT_QUEUES, RPC_QUEUES } from '@member-system/contracts';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { startServiceContext } from '@member-system/shared/testing';
import { BenefitServiceConfig } from '../src/config/benefit-service.config';
import { benefitDatabase } from '../src/database/data-source';
import { BENEFIT_SERVICE_FEATURES } from '../src/features';
import { BENEFIT_SUBSCRIPTIONS } from '../src/service.definition';

/** benefit-service as it runs, on the test's schema and vhost, plus any extra modules. */
export function startBenefitService(
  env: IntegrationEnv,
  extraModules: Type[] = [],
): Promise<INestApplicationContext> {
  return startServiceContext(
    env,
    {
      name: 'benefit-service',
      rpcQueue: RPC_QUEUES.benefit,
      eventQueue: EVENT_QUEUES.benefit,
      subscriptions: BENEFIT_SUBSCRIPTIONS,
      database: benefitDatabase,
      config: new BenefitServiceConfig(),
    },
    [...BENEFIT_SERVICE_FEATURES, ...extraModules],
  );
}

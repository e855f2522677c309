import type { Type } from '@nestjs/common';
import { CampaignsModule } from './campaigns/campaigns.module';

/** Every feature module of event-service, for the app and for tests that run it whole. */
export const EVENT_SERVICE_FEATURES: Type[] = [CampaignsModule];

import 'reflect-metadata';
import { startService } from '@member-system/shared/service';
import { BENEFIT_SERVICE_FEATURES } from './features';
import { benefitServiceDefinition } from './service.definition';

startService(benefitServiceDefinition, BENEFIT_SERVICE_FEATURES);

import 'reflect-metadata';
import { startService } from '@member-system/shared/service';
import { MEMBER_SERVICE_FEATURES } from './features';
import { memberServiceDefinition } from './service.definition';

startService(memberServiceDefinition, MEMBER_SERVICE_FEATURES);

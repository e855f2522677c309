import 'reflect-metadata';
import { startService } from '@member-system/shared/service';
import { EVENT_SERVICE_FEATURES } from './features';
import { eventServiceDefinition } from './service.definition';

startService(eventServiceDefinition, EVENT_SERVICE_FEATURES);

import 'reflect-metadata';
import { startService } from '@member-system/shared/service';
import { eventServiceDefinition } from './service.definition';

startService(eventServiceDefinition, []);

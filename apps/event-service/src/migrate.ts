import 'reflect-metadata';
import { startMigration } from '@member-system/shared/service';
import { eventServiceDefinition } from './service.definition';

startMigration(eventServiceDefinition);

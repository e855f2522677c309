import 'reflect-metadata';
import { startMigration } from '@member-system/shared/service';
import { pointServiceDefinition } from './service.definition';

startMigration(pointServiceDefinition);

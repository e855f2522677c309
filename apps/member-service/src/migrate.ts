import 'reflect-metadata';
import { startMigration } from '@member-system/shared/service';
import { memberServiceDefinition } from './service.definition';

startMigration(memberServiceDefinition);

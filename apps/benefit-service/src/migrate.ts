import 'reflect-metadata';
import { startMigration } from '@member-system/shared/service';
import { benefitServiceDefinition } from './service.definition';

startMigration(benefitServiceDefinition);

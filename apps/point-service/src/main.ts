import 'reflect-metadata';
import { startService } from '@member-system/shared/service';
import { AccountsModule } from './accounts/accounts.module';
import { pointServiceDefinition } from './service.definition';

startService(pointServiceDefinition, [AccountsModule]);

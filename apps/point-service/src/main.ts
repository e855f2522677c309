import 'reflect-metadata';
import { startService } from '@member-system/shared/service';
import { POINT_SERVICE_FEATURES } from './features';
import { pointServiceDefinition } from './service.definition';

startService(pointServiceDefinition, POINT_SERVICE_FEATURES);

export * from './audit.dto';

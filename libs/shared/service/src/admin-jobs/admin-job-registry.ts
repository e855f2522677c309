import type { AdminJobHandler } from './admin-job';

/** Feature modules register the kinds of admin job they run here (in onModuleInit). */
export class AdminJobRegistry {
  private readonly handlers = new Map<string, AdminJobHandler>();

  register(handler: AdminJobHandler): void {
    if (this.handlers.has(handler.kind))
      throw new Error(`admin job ${handler.kind} is registered twice`);
    this.handlers.set(handler.kind, handler);
  }

  get(kind: string): AdminJobHandler | undefined {
    return this.handlers.get(kind);
  }
}

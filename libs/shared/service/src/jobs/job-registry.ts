import type { Job } from './job';

/** Feature modules register their jobs here (in onModuleInit), like event handlers. */
export class JobRegistry {
  private readonly jobs = new Map<string, Job>();

  register(job: Job): void {
    if (this.jobs.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
    this.jobs.set(job.name, job);
  }

  get(name: string): Job | undefined {
    return this.jobs.get(name);
  }

  all(): Job[] {
    return [...this.jobs.values()];
  }
}

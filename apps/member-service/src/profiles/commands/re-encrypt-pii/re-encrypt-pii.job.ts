import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { JobRegistry } from '@member-system/shared/service';
import type { Job } from '@member-system/shared/service';
import { ReEncryptPiiCommand } from './re-encrypt-pii.command';

/**
 * Nightly, and on demand with `POST /admin/jobs/reencrypt-pii/run` right after a key rotation:
 * moves every ciphertext to the active PII key. A no-op scan when nothing is under an old key.
 */
@Injectable()
export class ReEncryptPiiJob implements Job, OnModuleInit {
  readonly name = 'reencrypt-pii';
  readonly schedule = { dailyAt: '03:30' };

  constructor(
    private readonly registry: JobRegistry,
    private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async run(): Promise<Record<string, unknown>> {
    return { ...(await this.commandBus.execute(new ReEncryptPiiCommand())) };
  }
}

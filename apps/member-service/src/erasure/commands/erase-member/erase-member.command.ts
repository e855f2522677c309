import { Command } from '@nestjs/cqrs';
import type { EraseMemberResult } from '@member-system/contracts';

/** `POST /admin/members/{memberId}/erase`: the member's PII destroyed, their ledger kept. */
export class EraseMemberCommand extends Command<EraseMemberResult> {
  constructor(readonly memberId: string) {
    super();
  }
}

import { Injectable } from '@nestjs/common';
import { ErrorCode, MemberRpc } from '@member-system/contracts';
import type { MemberRef } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import type { Subject } from '../subject';
import { OwnerRpc } from './owner-rpc';

/**
 * member-service, asked about a member a service's copy lacks: `member.registered.v1` may still
 * be on its way. Undefined only when member-service says there is no such member; member-service
 * unreachable is a 503 (SERVICE_UNAVAILABLE), never a "not found".
 */
@Injectable()
export class MemberOwner {
  constructor(private readonly owner: OwnerRpc) {}

  async find(subject: Subject): Promise<MemberRef | undefined> {
    try {
      return await this.owner.ask<MemberRef>('member', MemberRpc.lookup, { ...subject });
    } catch (error) {
      if (error instanceof AppException && error.code === ErrorCode.MemberNotFound) {
        return undefined;
      }
      throw error;
    }
  }
}

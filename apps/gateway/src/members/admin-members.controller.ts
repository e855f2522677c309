import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Logger } from 'pino';
import {
  AdminGetMemberDto,
  EraseMemberDto,
  ErrorCode,
  MemberPage,
  MemberRpc,
  MemberView,
  SearchMembersDto,
} from '@member-system/contracts';
import type { Actor, EraseMemberResult, Page } from '@member-system/contracts';
import {
  AppException,
  ServiceUnavailableException,
  ValidationFailedException,
  validateDto,
} from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, RequirePermission } from '@member-system/shared/security';
import { LOGGER } from '@member-system/shared/service';
import { AuditAction, AuditTrail } from '../audit/audit-trail';
import { AuditsItself } from '../audit/audited-writes.interceptor';
import type { AuditEntry } from '../audit/audit-trail';
import { correlationIdOf } from '../http/request-correlation';
import { commandOf } from '../infra/rpc-command';
import { WriteRoute } from '../infra/write-route';

const PII_FIELDS = ['phone', 'email', 'birthday', 'realName'] as const;

/** A query string as Fastify parses it (a plain object, possibly without a prototype). */
function queryOf(query: unknown): Record<string, unknown> {
  return typeof query === 'object' && query !== null ? { ...query } : {};
}

function errorCodeOf(error: unknown): string {
  return error instanceof AppException ? error.code : ErrorCode.Internal;
}

/** `GET /admin/members`, `GET /admin/members/{memberId}` (optionally revealed) and erasure. */
@ApiTags('admin: members')
@ApiBearerAuth()
@Controller('admin/members')
export class AdminMembersController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly audit: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get()
  @RequirePermission('members:read')
  @ApiOperation({
    summary: 'Search members: exact phone or email, nickname prefix, level, registration range',
  })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED' })
  @ApiOkResponse({ type: MemberPage, description: '{items, nextCursor}, newest first, PII masked' })
  async search(
    @CurrentActor() actor: Actor,
    @Query() query: SearchMembersDto,
  ): Promise<Page<MemberView>> {
    const filters = await validateDto(SearchMembersDto, queryOf(query));
    return this.rpc.send<Page<MemberView>>('member', MemberRpc.search, commandOf(actor, filters));
  }

  @Get(':memberId')
  @RequirePermission('members:read')
  @ApiOperation({
    summary: 'One member, PII masked; ?reveal=true shows it in clear (members:pii, audited first)',
  })
  @ApiQuery({ name: 'reveal', required: false, type: Boolean })
  @ApiResponse({ status: 403, description: 'FORBIDDEN: reveal without members:pii' })
  @ApiResponse({ status: 404, description: 'MEMBER_NOT_FOUND' })
  @ApiResponse({ status: 503, description: 'The reveal could not be audited: nothing revealed' })
  @ApiOkResponse({ type: MemberView })
  async get(
    @CurrentActor() actor: Actor,
    @Param('memberId') memberId: string,
    @Query() query: unknown,
  ): Promise<MemberView> {
    const request = await validateDto(AdminGetMemberDto, { ...queryOf(query), memberId });
    if (request.reveal !== true) {
      return this.rpc.send<MemberView>(
        'member',
        MemberRpc.adminGet,
        commandOf(actor, { memberId: request.memberId, reveal: false }),
      );
    }
    return this.reveal(actor, request.memberId);
  }

  @Post(':memberId/erase')
  @WriteRoute()
  @HttpCode(200)
  @RequirePermission('members:write')
  @AuditsItself()
  @ApiOperation({
    summary: "Erase a member's PII (points and history stay, anonymous); a repeat answers the same",
  })
  @ApiResponse({ status: 404, description: 'MEMBER_NOT_FOUND' })
  @ApiOkResponse({ type: MemberView, description: 'The erased member, every PII field null' })
  async erase(
    @CurrentActor() actor: Actor,
    @Param('memberId') memberId: string,
    @Body() body: unknown,
  ): Promise<MemberView> {
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      throw new ValidationFailedException({ body: ['must be a JSON object or absent'] });
    }
    const request = await validateDto(EraseMemberDto, { ...(body ?? {}), memberId });
    const audited: Omit<AuditEntry, 'outcome'> = {
      action: AuditAction.EraseMember,
      operator: actor,
      targetMemberId: request.memberId,
    };
    const result = await this.sendAudited(audited, () =>
      this.rpc.send<EraseMemberResult>('member', MemberRpc.erase, commandOf(actor, request)),
    );
    try {
      await this.audit.record({
        ...audited,
        outcome: 'succeeded',
        before: { erased: result.alreadyErased },
        after: { erased: true, erasedAt: result.erasedAt },
      });
    } catch (error) {
      // Erasure is idempotent: the caller's retry erases nothing more and gets audited then.
      this.logger.error(
        { err: error, memberId: request.memberId, correlationId: correlationIdOf(actor) },
        'erasure not audited',
      );
      throw new ServiceUnavailableException(
        'audit',
        'The member was erased but the audit trail is unavailable; retry to record it',
      );
    }
    return result.member;
  }

  /** Fetches the clear profile, records the reveal, and only then hands the PII out. */
  private async reveal(actor: Actor, memberId: string): Promise<MemberView> {
    const audited: Omit<AuditEntry, 'outcome'> = {
      action: AuditAction.RevealMemberPii,
      operator: actor,
      targetMemberId: memberId,
    };
    if (!actor.perms.includes('members:pii')) {
      await this.recordQuietly({
        ...audited,
        outcome: 'refused',
        after: { missingPermission: 'members:pii' },
      });
      throw new AppException(
        ErrorCode.Forbidden,
        'Revealing PII needs the admin permission members:pii',
      );
    }
    const member = await this.sendAudited(audited, () =>
      this.rpc.send<MemberView>(
        'member',
        MemberRpc.adminGet,
        commandOf(actor, { memberId, reveal: true }),
      ),
    );
    try {
      await this.audit.record({
        ...audited,
        outcome: 'succeeded',
        after: { revealed: PII_FIELDS.filter((field) => member[field] !== null) },
      });
    } catch (error) {
      this.logger.error(
        { err: error, memberId, correlationId: correlationIdOf(actor) },
        'PII reveal not audited, so refused',
      );
      throw new ServiceUnavailableException(
        'audit',
        'The audit trail is unavailable, so no PII is revealed; try again shortly',
      );
    }
    return member;
  }

  /** Sends the command; if it fails, records the failed attempt (best effort) and rethrows. */
  private async sendAudited<T>(
    audited: Omit<AuditEntry, 'outcome'>,
    send: () => Promise<T>,
  ): Promise<T> {
    try {
      return await send();
    } catch (error) {
      await this.recordQuietly({
        ...audited,
        outcome: 'failed',
        after: { error: errorCodeOf(error) },
      });
      throw error;
    }
  }

  private async recordQuietly(entry: AuditEntry): Promise<void> {
    try {
      await this.audit.record(entry);
    } catch (error) {
      this.logger.error(
        { err: error, action: entry.action, correlationId: correlationIdOf(entry.operator) },
        'audit record not written',
      );
    }
  }
}

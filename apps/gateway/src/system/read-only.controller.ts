import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Logger } from 'pino';
import { SetReadOnlyDto } from '@member-system/contracts';
import type { Actor, ReadOnlyView } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { CurrentActor, RequirePermission } from '@member-system/shared/security';
import { LOGGER } from '@member-system/shared/service';
import { AuditTrail } from '../audit/audit-trail';
import { AuditsItself } from '../audit/audited-writes.interceptor';
import { ReadOnlyMode } from './read-only-mode';
import { WriteRoute } from '../infra/write-route';

/** The read-only state, as both routes answer it. */
const READ_ONLY_STATE = {
  schema: {
    type: 'object',
    required: ['enabled'],
    properties: {
      enabled: { type: 'boolean' },
      source: { type: 'string', enum: ['admin', 'automatic'] },
      reason: { type: 'string' },
      since: { type: 'string', format: 'date-time' },
      by: { type: 'string' },
      expiresAt: { type: 'string', format: 'date-time' },
    },
    example: {
      enabled: true,
      source: 'admin',
      reason: 'database maintenance',
      since: '2026-11-25T08:00:00.000Z',
      by: '1',
    },
  },
};

/** The action AuditedWritesInterceptor would name it. */
export const READ_ONLY_AUDIT_ACTION = 'PUT /admin/system/read-only';

/** Both routes need `system:write`: whoever may flip the switch may see it (so may `/health/ready`). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/system/read-only')
export class ReadOnlyController {
  constructor(
    private readonly mode: ReadOnlyMode,
    private readonly audit: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get()
  @RequirePermission('system:write')
  @ApiOperation({ summary: 'Whether read-only mode is on, since when, why and by whom' })
  @ApiOkResponse(READ_ONLY_STATE)
  show(): Promise<ReadOnlyView> {
    return this.mode.fresh();
  }

  @Put()
  @WriteRoute()
  @RequirePermission('system:write')
  // The switch is for when databases are in trouble: its audit record is written after it, best effort.
  @AuditsItself()
  @ApiOperation({
    summary:
      'Switch read-only mode on (writes answer 503 READ_ONLY_MODE, reads work) or off (also ends automatic mode)',
  })
  @ApiBody({ type: SetReadOnlyDto })
  @ApiResponse({ status: 200, description: 'The state after the switch' })
  @ApiOkResponse(READ_ONLY_STATE)
  async set(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<ReadOnlyView> {
    const { enabled, reason } = await validateDto(SetReadOnlyDto, body);
    const before = await this.mode.fresh();
    const after = await this.mode.switchByAdmin({ enabled, reason, by: actor.userId });
    await this.audit
      .record({
        action: READ_ONLY_AUDIT_ACTION,
        operator: actor,
        before,
        after,
        outcome: 'succeeded',
      })
      .catch((error: unknown) => {
        this.logger.error(
          { err: error, action: READ_ONLY_AUDIT_ACTION },
          'audit record not written',
        );
      });
    return after;
  }
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNumberString, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../common/page';

/** `GET /admin/audit?memberId=&operatorId=&action=&from=&to=`, newest first. */
export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '1024' })
  @IsOptional()
  @IsNumberString({ no_symbols: true })
  @Length(1, 20)
  memberId?: string;

  @ApiPropertyOptional({ example: '1', description: "The operator's user id" })
  @IsOptional()
  @IsNumberString({ no_symbols: true })
  @Length(1, 20)
  operatorId?: string;

  @ApiPropertyOptional({ example: 'POST /admin/members/:memberId/points/adjust' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  action?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export interface AuditRecordView {
  id: string;
  occurredAt: string;
  operatorId: string;
  action: string;
  targetMemberId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  correlationId: string;
  outcome: 'attempted' | 'succeeded' | 'failed' | 'refused';
  hash: string;
}

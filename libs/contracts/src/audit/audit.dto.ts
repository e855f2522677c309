import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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

export class AuditRecordView {
  @ApiProperty({ example: '5120' })
  id!: string;

  @ApiProperty({ example: '2026-11-25T08:00:00.000Z' })
  occurredAt!: string;

  @ApiProperty({ example: '1' })
  operatorId!: string;

  @ApiProperty({ example: 'POST /admin/members/:memberId/points/adjust' })
  action!: string;

  @ApiProperty({ type: String, nullable: true, example: '1024' })
  targetMemberId!: string | null;

  @ApiProperty({
    description: 'What was asked (a summary when it was large)',
    example: { points: 25 },
  })
  before!: unknown;

  @ApiProperty({ description: 'What came back, or `{error}`', example: { balanceAfter: 25 } })
  after!: unknown;

  @ApiProperty({ type: String, nullable: true, example: '10.0.0.7' })
  ip!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'admin-console/3.2' })
  userAgent!: string | null;

  @ApiProperty({ example: 'fafd5b3a-7500-4a39-a0da-8bd88bfd6d2f' })
  correlationId!: string;

  @ApiProperty({ enum: ['attempted', 'succeeded', 'failed', 'refused'] })
  outcome!: 'attempted' | 'succeeded' | 'failed' | 'refused';

  @ApiProperty({ example: '3f1c…', description: "This record's link in the hash chain" })
  hash!: string;
}

/** One page of the audit trail, newest first. */
export class AuditRecordPage {
  @ApiProperty({ type: [AuditRecordView] })
  items!: AuditRecordView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

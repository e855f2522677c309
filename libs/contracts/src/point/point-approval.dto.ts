import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../common/page';

/** Maker–checker of large point adjustments: the states of a request. */
export const POINT_APPROVAL_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type PointApprovalStatus = (typeof POINT_APPROVAL_STATUSES)[number];

/**
 * An adjustment at or above ADJUSTMENT_APPROVAL_THRESHOLD points, kept until a second admin
 * approves (the points are adjusted then) or rejects it.
 */
export class PointApprovalView {
  @ApiProperty({ example: '17', description: 'Decimal id' })
  id!: string;

  @ApiProperty({ example: '1024' })
  memberId!: string;

  @ApiProperty({ example: 20000, description: 'Positive to credit, negative to deduct' })
  points!: number;

  @ApiProperty({ example: 'COMPENSATION' })
  reasonCode!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Ticket 8812: parcel lost' })
  note!: string | null;

  @ApiProperty({ enum: POINT_APPROVAL_STATUSES, example: 'pending' })
  status!: PointApprovalStatus;

  @ApiProperty({ example: '9001', description: 'The requesting admin (platform user id)' })
  requestedBy!: string;

  @ApiProperty({ example: '2026-12-07T06:00:00.000Z' })
  requestedAt!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'The approving or rejecting admin',
  })
  reviewedBy!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  reviewedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  reviewNote!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: "Once approved: the adjustment's history row (a transaction id)",
  })
  transactionId!: string | null;
}

export class PointApprovalPage {
  @ApiProperty({ type: [PointApprovalView] })
  items!: PointApprovalView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

/** `GET /admin/point-approvals`: newest first, optionally of one status. */
export class PointApprovalsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: POINT_APPROVAL_STATUSES })
  @IsOptional()
  @IsIn(POINT_APPROVAL_STATUSES)
  status?: PointApprovalStatus;
}

/** `POST /admin/point-approvals/{id}/approve` and `/reject`. */
export class ReviewPointApprovalDto {
  @ApiPropertyOptional({ example: 'Checked against ticket 8812' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  note?: string;
}

/** Whether an answer of `point.adjust` is an approval request (202) rather than applied points. */
export function isPointApproval(answer: unknown): answer is PointApprovalView {
  return typeof answer === 'object' && answer !== null && 'requestedBy' in answer;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsMoney } from '@member-system/contracts';
import type { Actor } from '@member-system/contracts';
import { ValidationFailedException } from '@member-system/shared/errors';

/** The ids IdParam accepts (decimal digits, 1–20 of them), checked here so the error names the path parameter. */
const ID_PATTERN = /^[0-9]{1,20}$/;

/** A path id such as `benefitId` or `memberId`; 400 VALIDATION_FAILED naming it otherwise. */
export function pathIdOf(name: 'benefitId' | 'memberId', raw: string): string {
  if (!ID_PATTERN.test(raw)) {
    throw new ValidationFailedException({
      [name]: [`${name} must be a decimal id of 1-20 digits`],
    });
  }
  return raw;
}

/** A query string as Fastify parses it (a plain object, possibly without a prototype). */
export function queryOf(query: unknown): Record<string, unknown> {
  return typeof query === 'object' && query !== null ? { ...query } : {};
}

/** `GET /benefits/me/{benefitId}/eligibility?orderAmount=`: the amount the order would have. */
export class EligibilityQueryDto {
  @ApiPropertyOptional({ example: '399.00', description: 'The order the benefit would apply to' })
  @IsOptional()
  @IsMoney()
  orderAmount?: string;
}

/**
 * docs/api/contract.md: a `service` token (cart, order systems) names the member in the body; a member always
 * means themselves and may not name anyone else.
 */
export function checkMemberIdFor(actor: Actor, memberId: string | undefined): void {
  if (actor.roles.includes('service')) {
    if (memberId === undefined) {
      throw new ValidationFailedException({
        memberId: ['memberId is required with a service token'],
      });
    }
  } else if (memberId !== undefined) {
    throw new ValidationFailedException({
      memberId: ['memberId is for service tokens only: a member always means themselves'],
    });
  }
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

/** Lists (docs/api/contract.md, "Conventions"): `?limit=` default 20, max 100; `?cursor=` opaque. */
export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;

/** One page of a list; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The paging part of a list query. Query strings arrive as text, so `limit` is converted first. */
export abstract class PageQueryDto {
  @ApiPropertyOptional({
    example: 20,
    description: `Items per page (default 20, at most ${PAGE_LIMIT_MAX})`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_LIMIT_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  cursor?: string;
}

/** The query of a list that has nothing but paging (`GET /levels`, `GET /campaigns`, ...). */
export class ListQueryDto extends PageQueryDto {}

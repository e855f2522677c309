import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** `PUT /admin/system/read-only`: switch read-only mode on or off. */
export class SetReadOnlyDto {
  @ApiProperty({ example: true, description: 'true refuses writes with 503 READ_ONLY_MODE' })
  @IsBoolean()
  enabled!: boolean;

  @ApiPropertyOptional({ example: 'primary database failover', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reason?: string;
}

export type ReadOnlySource = 'admin' | 'automatic';

/** Read-only mode as the admin API and the gateway's `/health/ready` show it. */
export type ReadOnlyView =
  | { enabled: false }
  | {
      enabled: true;
      /** `admin`: switched on by PUT; `automatic`: a service reported its database unwritable. */
      source: ReadOnlySource;
      reason: string;
      /** When the mode turned on (ISO time); kept while it stays on, whoever holds it. */
      since: string;
      /** The admin's user id, or the service that reported its database unwritable. */
      by: string;
      /** Automatic mode only: it turns itself off then unless a service reports again. */
      expiresAt?: string;
    };

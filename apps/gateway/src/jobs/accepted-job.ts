import { HttpCode, Injectable, UseInterceptors, applyDecorators } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { ApiAcceptedResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { map } from 'rxjs';
import type { Observable } from 'rxjs';
import { AdminJobView } from '@member-system/contracts';
import { API_PREFIX } from '../http/openapi';
import { WriteRoute } from '../infra/write-route';

/** Where a job's state is read: `GET /api/v1/admin/jobs/{jobId}`. */
export function jobLocationOf(jobId: string): string {
  return `/${API_PREFIX}/admin/jobs/${encodeURIComponent(jobId)}`;
}

/** Points the answer of a route that started a job at the job (`Location`). */
@Injectable()
export class JobLocationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((job: AdminJobView) => {
        void reply.header('location', jobLocationOf(job.id));
        return job;
      }),
    );
  }
}

/**
 * A route that starts an admin job: a write route (Idempotency-Key, audit) answering `202
 * Accepted` with the job and `Location: /api/v1/admin/jobs/{jobId}`. The Location interceptor
 * comes before the idempotency one, so a replayed answer (the same job, 202 again) carries it too.
 */
export const AcceptedJobRoute = (): MethodDecorator =>
  applyDecorators(
    UseInterceptors(JobLocationInterceptor),
    WriteRoute(),
    HttpCode(202),
    ApiAcceptedResponse({
      type: AdminJobView,
      description:
        'Started (or already queued or running: the same job): follow `Location` (`GET /admin/jobs/{jobId}`) until `succeeded` or `failed`',
      headers: {
        Location: {
          description: 'The job: `/api/v1/admin/jobs/{jobId}`',
          schema: { type: 'string', example: '/api/v1/admin/jobs/event.42' },
        },
      },
    }),
  );

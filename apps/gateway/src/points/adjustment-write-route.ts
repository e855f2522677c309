import { Injectable, UseInterceptors, applyDecorators } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map } from 'rxjs';
import type { Observable } from 'rxjs';
import { isPointApproval } from '@member-system/contracts';
import { WriteRoute } from '../infra/write-route';

/** An adjustment that became an approval request (maker–checker) answers `202 Accepted`. */
@Injectable()
export class ApprovalRequestedInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((answer: unknown) => {
        if (isPointApproval(answer)) void reply.status(202);
        return answer;
      }),
    );
  }
}

/**
 * The adjust route: a write route whose answer is 200 (adjusted) or 202 (an approval request).
 * The status interceptor comes before the idempotency one, so a replayed request (the same
 * approval request) is 202 again.
 */
export const AdjustmentWriteRoute = (): MethodDecorator =>
  applyDecorators(UseInterceptors(ApprovalRequestedInterceptor), WriteRoute());

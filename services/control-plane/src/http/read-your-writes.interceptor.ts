import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { ProjectionWaiter } from '../infrastructure/read-model/projection-waiter';
import { consistencyTokenOf } from './consistency-token';

/**
 * On every query route: when the request carries a consistency token, hold the request until
 * the projector has applied it (bounded; 503 `projection_lagging` after the wait).
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(private readonly waiter: ProjectionWaiter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const token = consistencyTokenOf(request.query, request.headers['x-consistency-token']);
    if (token === undefined) return next.handle();
    return from(this.waiter.waitFor(token)).pipe(switchMap(() => next.handle()));
  }
}

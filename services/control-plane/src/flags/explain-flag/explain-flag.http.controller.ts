import { Body, Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { EvaluationContext, JsonValue } from '@flagpole/evaluation';
import { requirePoint, type Explanation } from '@flagpole/read-model';
import { RequireRole, ScopedTo } from '../../auth/auth.decorators';
import { ReadYourWritesInterceptor } from '../../http/read-your-writes.interceptor';
import { ExplainFlagQuery } from './explain-flag.query';
import { ExplainFlagRequestDto } from './explain-flag.request.dto';

@ApiTags('time travel')
@ApiBearerAuth()
@Controller('api/flags')
@UseInterceptors(ReadYourWritesInterceptor)
export class ExplainFlagHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /**
   * What the evaluation engine serves (or served at `at`) a context in an environment, and why:
   * value, variant, reason, rule, and the configuration it used. Reads only; POST because the
   * context is a body.
   */
  @Post(':key/explain')
  @HttpCode(200)
  @RequireRole('viewer')
  @ScopedTo({ body: 'environment' })
  explain(@Param('key') key: string, @Body() body: ExplainFlagRequestDto): Promise<Explanation> {
    const at = body.at === undefined || body.at === null || body.at === '' ? undefined : requirePoint(body.at, 'at');
    const query = new ExplainFlagQuery(key, body.environment, body.context as EvaluationContext, at, body.defaultValue as JsonValue | undefined);
    return this.queryBus.execute(query);
  }
}

import { Controller, Get, Query, Req, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { ComplianceReport } from '@flagpole/read-model';
import { RequireRole } from '../../auth/auth.decorators';
import { principalOf, requireEnvironmentScope } from '../../auth/read-scope';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { optionalTime } from '../../http/query-params';
import { ReadYourWritesInterceptor } from '../../http/read-your-writes.interceptor';
import { RequestValidationError } from '../../http/request-validation.error';
import { ApprovalComplianceQuery } from './approval-compliance.query';
import { ApprovalComplianceRequestDto } from './approval-compliance.request.dto';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('api/change-requests')
@UseInterceptors(ReadYourWritesInterceptor)
export class ApprovalComplianceHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Proves from the audit trail that every change reaching the environment in [from, to) had the approvals it needed. */
  @Get('compliance')
  @RequireRole('viewer')
  compliance(@Query() dto: ApprovalComplianceRequestDto, @Req() request: AuthenticatedRequest): Promise<ComplianceReport> {
    requireEnvironmentScope(principalOf(request), dto.environment);
    const from = optionalTime(dto.from, 'from');
    const to = optionalTime(dto.to, 'to');
    if (from === undefined || to === undefined) throw new RequestValidationError([{ field: from === undefined ? 'from' : 'to', problem: 'is required' }]);
    return this.queryBus.execute(new ApprovalComplianceQuery(dto.environment, from, to));
  }
}

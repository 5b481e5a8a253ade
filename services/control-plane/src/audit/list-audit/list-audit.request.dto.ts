import { ApiPropertyOptional } from '@nestjs/swagger';
import type { AggregateType, EnvironmentScope } from '@flagpole/domain';
import type { AuditFilter } from '@flagpole/read-model';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { QueryRequestDto } from '../../http/query-request.dto';
import { optionalList, optionalTime } from '../../http/query-params';

const AGGREGATE_TYPES = ['environment', 'flag', 'segment', 'token', 'approvalPolicy', 'changeRequest'];

/** Filters of the audit trail, shared by the list and the export. */
export class AuditFilterRequestDto extends QueryRequestDto {
  @ApiPropertyOptional({ description: 'Actor id (token:<id>) or actor name', example: 'ci-deployer' })
  @IsOptional()
  @IsString()
  actor?: string;

  @ApiPropertyOptional({ description: 'From this time (inclusive), ISO-8601', example: '2025-03-01T00:00:00Z' })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({ description: 'Until this time (exclusive), ISO-8601', example: '2025-04-01T00:00:00Z' })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional({ description: 'Aggregate id', example: 'flag:new-checkout' })
  @IsOptional()
  @IsString()
  aggregate?: string;

  @ApiPropertyOptional({ enum: AGGREGATE_TYPES })
  @IsOptional()
  @IsIn(AGGREGATE_TYPES)
  aggregateType?: string;

  @ApiPropertyOptional({ description: 'Event type(s), comma-separated', example: 'FlagToggled,FlagEnvironmentConfigured' })
  @IsOptional()
  @IsString()
  type?: string;

  @ApiPropertyOptional({ description: 'Change request id (changes made through an approval)' })
  @IsOptional()
  @IsString()
  changeRequest?: string;
}

/** The list route's parameters: the filters plus paging and order. */
export class ListAuditRequestDto extends AuditFilterRequestDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ description: 'Page size, 1–500 (default 50)', example: 50 })
  @IsOptional()
  @Matches(/^\d{1,3}$/, { message: 'must be an integer from 1 to 500' })
  limit?: string;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}

/** DTO → the library's filter; times are checked here (400 naming the field). */
export function auditFilterOf(dto: AuditFilterRequestDto, scope: EnvironmentScope): AuditFilter {
  const from = optionalTime(dto.from, 'from');
  const to = optionalTime(dto.to, 'to');
  return {
    actor: dto.actor,
    from,
    to,
    aggregateId: dto.aggregate,
    aggregateType: dto.aggregateType as AggregateType | undefined,
    eventTypes: optionalList(dto.type),
    changeRequestId: dto.changeRequest,
    scope,
  };
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { QueryRequestDto } from '../../http/query-request.dto';

export class VerifyAuditRequestDto extends QueryRequestDto {
  @ApiPropertyOptional({ enum: ['postgres', 'kafka'], default: 'postgres', description: 'postgres: the audit trail as stored; kafka: the events topic itself' })
  @IsOptional()
  @IsIn(['postgres', 'kafka'])
  source?: 'postgres' | 'kafka';
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { QueryRequestDto } from '../../http/query-request.dto';

/** Two points in history; each a sequence (digits) or an ISO-8601 time. */
export class DiffRequestDto extends QueryRequestDto {
  @ApiProperty({ description: 'Sequence or ISO-8601 time', example: '2025-03-01T00:00:00Z' })
  @IsString()
  from!: string;

  @ApiPropertyOptional({ description: 'Sequence or ISO-8601 time; default now', example: '57' })
  @IsOptional()
  @IsString()
  to?: string;
}

export class FlagDiffRequestDto extends DiffRequestDto {
  @ApiPropertyOptional({ description: 'Only this environment’s configuration', example: 'production' })
  @IsOptional()
  @IsString()
  environment?: string;
}

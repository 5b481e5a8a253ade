import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PagedQueryRequestDto } from '../../http/query-request.dto';

export class FlagHistoryRequestDto extends PagedQueryRequestDto {
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc', description: 'Oldest (asc) or newest (desc) first' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}

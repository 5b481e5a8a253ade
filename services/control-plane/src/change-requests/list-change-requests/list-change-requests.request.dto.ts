import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CHANGE_REQUEST_STATUSES } from '@flagpole/read-model';
import { PagedQueryRequestDto } from '../../http/query-request.dto';

export class ListChangeRequestsRequestDto extends PagedQueryRequestDto {
  @ApiPropertyOptional({ enum: CHANGE_REQUEST_STATUSES })
  @IsOptional()
  @IsIn(CHANGE_REQUEST_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'production' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  environment?: string;

  @ApiPropertyOptional({ description: 'Key of a flag the request changes' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  flag?: string;

  @ApiPropertyOptional({ description: 'Actor id of the author, e.g. token:<id>' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  author?: string;

  @ApiPropertyOptional({ description: 'Actor id of a reviewer' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reviewer?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { FLAG_KINDS } from '@flagpole/domain';
import { PagedQueryRequestDto } from '../../http/query-request.dto';

export class ListFlagsRequestDto extends PagedQueryRequestDto {
  @ApiPropertyOptional({ description: 'Return only this environment’s configuration with each flag', example: 'production' })
  @IsOptional()
  @IsString()
  environment?: string;

  @ApiPropertyOptional({ example: 'checkout' })
  @IsOptional()
  @IsString()
  tag?: string;

  @ApiPropertyOptional({ enum: FLAG_KINDS })
  @IsOptional()
  @IsIn(FLAG_KINDS)
  kind?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  owner?: string;

  @ApiPropertyOptional({ description: 'true: archived flags only; false (default): live flags', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  archived?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive text in the key or the name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { QueryRequestDto } from '../../http/query-request.dto';

/** A point in history: exactly one of `time` and `sequence`. */
export class AsOfRequestDto extends QueryRequestDto {
  @ApiPropertyOptional({ description: 'ISO-8601 time with a zone: the state after the last event at or before it', example: '2025-03-14T14:02:00Z' })
  @IsOptional()
  @IsString()
  time?: string;

  @ApiPropertyOptional({ description: 'Global event sequence: the state after that event', example: '42' })
  @IsOptional()
  @IsString()
  sequence?: string;
}

export class FlagAsOfRequestDto extends AsOfRequestDto {
  @ApiPropertyOptional({ description: 'Only this environment’s configuration', example: 'production' })
  @IsOptional()
  @IsString()
  environment?: string;
}

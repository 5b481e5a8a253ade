import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsObject, IsString } from 'class-validator';

export class ExplainFlagRequestDto {
  @ApiProperty({ example: 'production' })
  @IsString()
  environment!: string;

  @ApiProperty({ description: 'The evaluation context, as an SDK would pass it', example: { targetingKey: 'user-42', email: 'ada@example.com' } })
  @IsObject()
  context!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'A past point: ISO-8601 time or event sequence; default now', oneOf: [{ type: 'string' }, { type: 'integer' }], example: '2025-03-14T14:02:00Z' })
  @Allow()
  at?: string | number;

  @ApiPropertyOptional({ description: 'The caller’s default, served on ERROR as an SDK would (default null)' })
  @Allow()
  defaultValue?: unknown;
}

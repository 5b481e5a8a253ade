import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsObject, IsOptional, IsString } from 'class-validator';
import { MutationRequestDto } from '../../http/mutation-request.dto';

/** A segment's description and what it matches; used to create and to replace one. */
export class SegmentRequestDto extends MutationRequestDto {
  @ApiProperty({ example: 'Beta testers' })
  @IsString()
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  description?: string;

  @ApiPropertyOptional({ type: [String], description: 'Values of `attribute` always in the segment' })
  @IsOptional()
  @IsArray()
  included?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Values of `attribute` never in the segment' })
  @IsOptional()
  @IsArray()
  excluded?: string[];

  @ApiPropertyOptional({ default: 'targetingKey' })
  @IsOptional()
  @IsString()
  attribute?: string;

  @ApiPropertyOptional({ description: 'A condition tree; see libs/evaluation/SPEC.md' })
  @IsOptional()
  @IsObject()
  condition?: Record<string, unknown>;
}

export class CreateSegmentRequestDto extends SegmentRequestDto {
  @ApiProperty({ example: 'beta-testers' })
  @IsString()
  key!: string;
}

/** The matching part of a segment request, without undefined holes. */
export function segmentRules(body: SegmentRequestDto): Record<string, unknown> {
  const { included, excluded, attribute, condition } = body;
  return Object.fromEntries(Object.entries({ included, excluded, attribute, condition }).filter(([, v]) => v !== undefined));
}

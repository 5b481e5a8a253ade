import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsIn, IsObject, IsOptional, IsString, ValidateIf } from 'class-validator';
import { FLAG_KINDS, FLAG_TYPES } from '@flagpole/domain';
import { MutationRequestDto } from '../../http/mutation-request.dto';

export class CreateFlagRequestDto extends MutationRequestDto {
  @ApiProperty({ example: 'new-checkout' })
  @IsString()
  key!: string;

  @ApiProperty({ example: 'New checkout flow' })
  @IsString()
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  description?: string;

  @ApiPropertyOptional({ enum: FLAG_KINDS, default: 'release' })
  @IsOptional()
  @IsIn(FLAG_KINDS)
  kind?: string;

  @ApiPropertyOptional({ enum: FLAG_TYPES, default: 'boolean' })
  @IsOptional()
  @IsIn(FLAG_TYPES)
  type?: string;

  @ApiPropertyOptional({ description: 'variant name → value; booleans default to { on: true, off: false }', example: { on: true, off: false } })
  @IsOptional()
  @IsObject()
  variants?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Variant served by default when on' })
  @IsOptional()
  @IsString()
  onVariant?: string;

  @ApiPropertyOptional({ description: 'Variant served when off' })
  @IsOptional()
  @IsString()
  offVariant?: string;

  @ApiPropertyOptional({ description: 'Team or person responsible; defaults to the caller' })
  @IsOptional()
  @IsString()
  owner?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  tags?: string[];

  @ApiPropertyOptional({ description: 'ISO-8601 or null; defaults by kind (release 90 days, experiment 60, others none)', nullable: true })
  @IsOptional()
  @ValidateIf((o: CreateFlagRequestDto) => o.expiresAt !== null)
  @IsString()
  expiresAt?: string | null;
}

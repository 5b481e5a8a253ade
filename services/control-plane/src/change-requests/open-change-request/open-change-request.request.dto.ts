import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { MutationRequestDto } from '../../http/mutation-request.dto';

export class OpenChangeRequestRequestDto extends MutationRequestDto {
  @ApiProperty({ example: 'Launch the new checkout in production' })
  @IsString()
  @MaxLength(200)
  title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;

  // Each change is a governed command; the domain validates type, data and baseVersion (it knows
  // every command's shape), so the DTO only checks this is a list of objects.
  @ApiProperty({
    description: 'The changes, applied in order: `{ type, data, baseVersion? }` with `type` one of ToggleFlag, ConfigureFlagEnvironment, SetFlagVariants, ArchiveFlag, RestoreFlag, UpdateFlagMetadata, CreateSegment, UpdateSegment, DeleteSegment, SetApprovalPolicy and `data` that command\'s payload; `baseVersion` defaults to the current version.',
    example: [{ type: 'ToggleFlag', data: { key: 'new-checkout', environment: 'production', on: true }, baseVersion: 3 }],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  changes!: Record<string, unknown>[];

  @ApiPropertyOptional({ description: 'Apply automatically at this time once approved (ISO-8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  applyAt?: string;

  @ApiPropertyOptional({ description: 'After this the request can no longer be reviewed or applied (default: 14 days)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}

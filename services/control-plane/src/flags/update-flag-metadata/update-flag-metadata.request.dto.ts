import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsIn, IsOptional, IsString, ValidateIf } from 'class-validator';
import { FLAG_KINDS } from '@flagpole/domain';
import { MutationRequestDto } from '../../http/mutation-request.dto';

/** Only the fields present change. */
export class UpdateFlagMetadataRequestDto extends MutationRequestDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  description?: string;

  @ApiPropertyOptional({ enum: FLAG_KINDS })
  @IsOptional()
  @IsIn(FLAG_KINDS)
  kind?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  owner?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  tags?: string[];

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((o: UpdateFlagMetadataRequestDto) => o.expiresAt !== null)
  @IsString()
  expiresAt?: string | null;
}

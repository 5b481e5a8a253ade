import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString } from 'class-validator';
import { MutationRequestDto } from '../../http/mutation-request.dto';

export class SetFlagVariantsRequestDto extends MutationRequestDto {
  @ApiProperty({ description: 'variant name → value of the flag type', example: { control: 'blue', treatment: 'green' } })
  @IsObject()
  variants!: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  onVariant?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  offVariant?: string;
}

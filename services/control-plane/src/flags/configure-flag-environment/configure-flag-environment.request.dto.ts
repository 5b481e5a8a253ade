import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsObject, IsOptional, IsString } from 'class-validator';
import { MutationRequestDto } from '../../http/mutation-request.dto';

/**
 * The flag's whole configuration in one environment. Only the outer shape is checked here;
 * the evaluation model's validator checks the rest and names every problem's path.
 */
export class ConfigureFlagEnvironmentRequestDto extends MutationRequestDto {
  @ApiProperty()
  @IsBoolean()
  on!: boolean;

  @ApiProperty({ example: 'off' })
  @IsString()
  offVariant!: string;

  @ApiPropertyOptional({ description: 'Individual targets: [{ variant, attribute?, values }]' })
  @IsOptional()
  @IsArray()
  targets?: unknown[];

  @ApiPropertyOptional({ description: 'Ordered rules: [{ id, condition, serve }]; see libs/evaluation/SPEC.md' })
  @IsOptional()
  @IsArray()
  rules?: unknown[];

  @ApiProperty({ description: '{ variant } or { rollout: { variants: [{ variant, weight }] } }', example: { variant: 'on' } })
  @IsObject()
  fallthrough!: Record<string, unknown>;

  @ApiPropertyOptional({ description: '[{ flag, variants }]' })
  @IsOptional()
  @IsArray()
  prerequisites?: unknown[];
}

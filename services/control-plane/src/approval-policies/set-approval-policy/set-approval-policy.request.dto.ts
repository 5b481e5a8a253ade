import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';
import { MutationRequestDto } from '../../http/mutation-request.dto';

export class SetApprovalPolicyRequestDto extends MutationRequestDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 10, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  requiredApprovals?: number;

  @ApiPropertyOptional({ default: false, description: 'May the author approve (and count towards) their own request?' })
  @IsOptional()
  @IsBoolean()
  allowSelfApproval?: boolean;

  @ApiPropertyOptional({ default: false, description: 'One decline closes the request' })
  @IsOptional()
  @IsBoolean()
  declineBlocks?: boolean;

  // The rules' fields are validated by the domain, which reports each with its path.
  @ApiPropertyOptional({
    description: 'Which changes need approval; every rule is off unless given',
    example: { anyChange: false, toggles: true, rolloutIncreaseAbove: 20, flagKinds: ['permission', 'operational'], flagTags: ['critical'], archive: true, variants: true },
  })
  @IsOptional()
  @IsObject()
  rules?: Record<string, unknown>;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { MutationRequestDto } from '../../http/mutation-request.dto';

export class ReviewChangeRequestRequestDto extends MutationRequestDto {
  @ApiProperty({ enum: ['approve', 'decline'] })
  @IsIn(['approve', 'decline'])
  decision!: 'approve' | 'decline';

  @ApiPropertyOptional({ example: 'Checked the rollout plan' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

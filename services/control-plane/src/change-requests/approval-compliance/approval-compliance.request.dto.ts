import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { QueryRequestDto } from '../../http/query-request.dto';

export class ApprovalComplianceRequestDto extends QueryRequestDto {
  @ApiProperty({ example: 'production' })
  @IsString()
  @MaxLength(63)
  environment!: string;

  @ApiProperty({ description: 'Start of the period (inclusive), ISO-8601', example: '2025-01-01T00:00:00Z' })
  @IsString()
  from!: string;

  @ApiProperty({ description: 'End of the period (exclusive), ISO-8601', example: '2025-04-01T00:00:00Z' })
  @IsString()
  to!: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';

/** Fields every mutation accepts besides its own: why, and which version it builds on. */
export class MutationRequestDto {
  @ApiPropertyOptional({ description: 'Why the change is made; recorded on the event and in the audit trail.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ description: 'Optimistic concurrency; same as the If-Match header.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedVersion?: number;
}

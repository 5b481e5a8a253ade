import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional, IsString, ValidateIf } from 'class-validator';
import { ROLES } from '@flagpole/domain';
import { MutationRequestDto } from '../../http/mutation-request.dto';

export class IssueTokenRequestDto extends MutationRequestDto {
  @ApiProperty({ example: 'ci-pipeline' })
  @IsString()
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: string;

  @ApiProperty({ description: '"*" or a list of environment keys', example: ['staging'] })
  @IsDefined()
  environments!: string[] | '*';

  @ApiPropertyOptional({ nullable: true, description: 'ISO-8601; null or absent for no expiry' })
  @IsOptional()
  @ValidateIf((o: IssueTokenRequestDto) => o.expiresAt !== null)
  @IsString()
  expiresAt?: string | null;
}

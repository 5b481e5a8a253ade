import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { MutationRequestDto } from '../../http/mutation-request.dto';

export class CreateEnvironmentRequestDto extends MutationRequestDto {
  @ApiProperty({ example: 'production', description: 'a-z, 0-9 and "-"; names the Kafka topic flagpole.flags.<key>' })
  @IsString()
  key!: string;

  @ApiProperty({ example: 'Production' })
  @IsString()
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  description?: string;

  @ApiPropertyOptional({ description: 'Marks environments where approval policies usually apply' })
  @IsOptional()
  @IsBoolean()
  production?: boolean;
}

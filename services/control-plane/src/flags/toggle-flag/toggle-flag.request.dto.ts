import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { MutationRequestDto } from '../../http/mutation-request.dto';

export class ToggleFlagRequestDto extends MutationRequestDto {
  @ApiProperty({ description: 'true turns the flag on in the environment, false is the kill switch' })
  @IsBoolean()
  on!: boolean;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { EXPORT_FORMATS } from '@flagpole/read-model';
import { IsIn, IsOptional } from 'class-validator';
import { AuditFilterRequestDto } from '../list-audit/list-audit.request.dto';

export class ExportAuditRequestDto extends AuditFilterRequestDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'jsonl', description: 'jsonl: one event per line, exactly as hashed; csv: audit columns plus the event as JSON' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: (typeof EXPORT_FORMATS)[number];
}

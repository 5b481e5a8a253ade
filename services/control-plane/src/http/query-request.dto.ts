import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/** What every query route accepts besides its own parameters. */
export class QueryRequestDto {
  @ApiPropertyOptional({
    description: 'Read your own write: the consistency token a mutation returned (also accepted as the X-Consistency-Token header). The query waits until the read model has applied it.',
    example: '42',
  })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'must be the consistency token a mutation returned (a non-negative integer)' })
  consistencyToken?: string;
}

/** Paging parameters of list routes. */
export class PagedQueryRequestDto extends QueryRequestDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  cursor?: string;

  @ApiPropertyOptional({ description: 'Page size, 1–500 (default 50)', example: 50 })
  @IsOptional()
  @Matches(/^\d{1,3}$/, { message: 'must be an integer from 1 to 500' })
  limit?: string;
}

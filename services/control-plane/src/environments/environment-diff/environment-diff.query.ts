import { Query } from '@nestjs/cqrs';
import type { PointDiff, PointInput } from '@flagpole/read-model';

export type EnvironmentDiffResult = PointDiff & { readonly environment: string };

export class EnvironmentDiffQuery extends Query<EnvironmentDiffResult> {
  constructor(
    readonly environment: string,
    readonly from: PointInput,
    readonly to: PointInput | undefined,
  ) {
    super();
  }
}

import { Query } from '@nestjs/cqrs';
import type { EnvironmentScope } from '@flagpole/domain';
import type { PointDiff, PointInput } from '@flagpole/read-model';

export type FlagDiffResult = PointDiff & { readonly key: string };

export class FlagDiffQuery extends Query<FlagDiffResult> {
  constructor(
    readonly key: string,
    readonly from: PointInput,
    readonly to: PointInput | undefined,
    readonly scope: EnvironmentScope,
    readonly environment: string | undefined,
  ) {
    super();
  }
}

import type { EnvironmentScope, Role } from '@flagpole/domain';

/** The caller, as established from its bearer token. */
export interface Principal {
  readonly tokenId: string;
  readonly name: string;
  readonly role: Role;
  readonly environments: EnvironmentScope;
}

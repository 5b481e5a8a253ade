import type { Authority } from '@flagpole/domain';
import { principalOf } from '../auth/read-scope';
import type { AuthenticatedRequest } from '../auth/token-auth.guard';

/**
 * The role and scope of the caller's token, handed to the change-request decider: who may open,
 * review, apply or cancel depends on the request's environments, which only the domain knows.
 */
export function authorityOf(request: AuthenticatedRequest): Authority {
  const { role, environments } = principalOf(request);
  return { role, environments };
}

import { SetMetadata } from '@nestjs/common';
import type { Role } from '@flagpole/domain';

export const PUBLIC_ROUTE = 'flagpole:public';
export const REQUIRED_ROLE = 'flagpole:role';
export const ENVIRONMENT_SCOPE = 'flagpole:environment-scope';

/** No token needed (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The least role that may call the route. */
export const RequireRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

/**
 * Where the route's environment comes from, for scope checks: a route parameter, a body field,
 * or `all` for changes that reach every environment (only tokens scoped to `*` may make them).
 */
export type EnvironmentSource = { readonly param: string } | { readonly body: string } | 'all';
export const ScopedTo = (source: EnvironmentSource) => SetMetadata(ENVIRONMENT_SCOPE, source);

export const ROLES = ['viewer', 'editor', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** `'*'` scopes a token to every environment, present and future. */
export type EnvironmentScope = readonly string[] | '*';

const RANK: Readonly<Record<Role, number>> = { viewer: 0, editor: 1, approver: 2, admin: 3 };

/** Roles are ordered: each can do everything the ones below it can. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

export function scopeIncludes(scope: EnvironmentScope, environment: string): boolean {
  return scope === '*' || scope.includes(environment);
}

/** Makes a switch over a discriminated union fail to compile when a member is left out. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

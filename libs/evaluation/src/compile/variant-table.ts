import type { JsonValue } from '../model/flag.types';
import { frozenValue } from './results';

/** Variant values of a flag, frozen once at compile time. */
export class VariantTable {
  private readonly values = new Map<string, JsonValue>();

  constructor(variants: Readonly<Record<string, JsonValue>>) {
    for (const [name, value] of Object.entries(variants)) this.values.set(name, frozenValue(value));
  }

  /** The value of a variant; compiling refuses references to variants that do not exist. */
  value(name: string): JsonValue {
    const value = this.values.get(name);
    if (value === undefined) throw new Error(`variant ${JSON.stringify(name)} is not defined`);
    return value;
  }
}

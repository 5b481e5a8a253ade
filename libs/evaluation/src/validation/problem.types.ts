/** One thing wrong with an input, located by a JS-like path (`rules[2].condition.all[0].values`). */
export interface Problem {
  readonly path: string;
  readonly problem: string;
}

/** One thing wrong with a request, addressed by the path of the field at fault. */
export interface Problem {
  readonly field: string;
  readonly problem: string;
}

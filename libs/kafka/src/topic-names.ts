/** The two kinds of topic in DESIGN.md: the log of record and one compacted state topic per environment. */
export interface TopicNames {
  readonly events: string;
  flags(environment: string): string;
}

export function topicNames(prefix: string): TopicNames {
  return {
    events: `${prefix}.events`,
    flags: (environment) => `${prefix}.flags.${environment}`,
  };
}

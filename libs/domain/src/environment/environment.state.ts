export type EnvironmentState =
  | { readonly status: 'absent'; readonly version: 0 }
  | {
      readonly status: 'active';
      readonly version: number;
      readonly key: string;
      readonly name: string;
      readonly description: string;
      readonly production: boolean;
    };

export const initialEnvironmentState: EnvironmentState = { status: 'absent', version: 0 };

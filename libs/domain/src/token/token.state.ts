import type { TokenIssued } from './token.events';

export type TokenState =
  | { readonly status: 'absent'; readonly version: 0 }
  | (TokenIssued['data'] & { readonly status: 'active' | 'revoked'; readonly version: number });

export const initialTokenState: TokenState = { status: 'absent', version: 0 };

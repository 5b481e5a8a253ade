import type { Event } from '../shared/decider.types';
import type { EnvironmentScope, Role } from './token.types';

export type TokenIssued = Event<
  'TokenIssued',
  {
    readonly tokenId: string;
    readonly name: string;
    readonly role: Role;
    readonly environments: EnvironmentScope;
    /** SHA-256 of the secret, hex: the log of record never holds a usable credential. */
    readonly secretHash: string;
    readonly expiresAt: string | null;
  }
>;
export type TokenRevoked = Event<'TokenRevoked', Readonly<Record<string, never>>>;

export type TokenEvent = TokenIssued | TokenRevoked;

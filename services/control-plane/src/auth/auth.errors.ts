/** Authentication (401) and authorisation (403) failures, mapped by the one exception filter. */
export class AuthError extends Error {
  constructor(
    readonly kind: 'unauthenticated' | 'forbidden',
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

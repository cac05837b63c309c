/**
 * Whose fault a reported error is: the command line's (`usage`), the configuration's (`config`),
 * or neither (`failure`: something that could not be done). The CLI turns a kind into an exit code.
 */
export type ErrorKind = 'usage' | 'config' | 'failure';

/** An error whose message is written for the user, as it is. */
export class CoiError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind = 'failure',
  ) {
    super(message);
  }
}

/** An error the CLI reports as one message and an exit code (2 usage/config, 1 failure). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, 2);

/**
 * The error a user fixes: a bad flag or option value, or a checker named for a history it cannot
 * judge. Every CLI prints its message as one line and exits 3; a library caller catches it apart
 * from a crash.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A mistake in how the command was called or set up: exit 2 with this one line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The names a list option gave, each occurrence and each comma-separated part (`--kernel add,relu --kernel scan`),
 *  trimmed, empty parts dropped: one reading for every command's lists. */
export const commaList = (values: string | readonly string[] | undefined): string[] =>
  (typeof values === 'string' ? [values] : values ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);

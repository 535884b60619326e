// For tests that call a command's function in-process: what it wrote to stderr, with the terminal left as it was.

/** Runs f with process.stderr captured; restores it whatever f does. */
export async function withStderr<T>(f: () => Promise<T>): Promise<{ value: T; stderr: string }> {
  const lines: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => (lines.push(String(s)), true)) as typeof process.stderr.write;
  try {
    return { value: await f(), stderr: lines.join('') };
  } finally {
    process.stderr.write = write;
  }
}

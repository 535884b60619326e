// What an engine makes of a shader's source (a rewritten form), kept by source with the oldest let go: `mutate` hands
// an engine a new shader for every mutant, and a map of every one grew with the run.

/** `make(code)` once per source, at most `kept` sources at a time. */
export class ShaderMemo<T> {
  private readonly made = new Map<string, T>();

  constructor(private readonly make: (code: string) => T, private readonly kept = 64) {}

  of(code: string): T {
    if (!this.made.has(code)) {
      if (this.made.size >= this.kept) this.made.delete(this.made.keys().next().value!);
      this.made.set(code, this.make(code));
    }
    return this.made.get(code)!;
  }
}

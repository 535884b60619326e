// JSON for messages and reports: a shape or draw as text, with its non-finite numbers written as themselves.
// JSON.stringify writes -Infinity as null: a new user's causal-softmax mask value of -Infinity read as a missing one,
// in "shrunk to" and in results.json (which keeps it encoded, {"$number": "-Infinity"}, as fixtures do).

const MARK = '\u0001nonfinite:';

/** JSON.stringify(v), but -Infinity, Infinity and NaN (plain, or encoded as {$number}) appear as those words. */
export function jsonText(v: unknown): string {
  const text = JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'number' && !Number.isFinite(x)) return MARK + String(x);
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      const keys = Object.keys(x);
      const n = (x as { $number?: unknown }).$number;
      if (keys.length === 1 && typeof n === 'string') return MARK + n;
    }
    return x;
  });
  return text === undefined ? String(v) : text.replace(/"\\u0001nonfinite:(-?Infinity|NaN)"/g, '$1');
}

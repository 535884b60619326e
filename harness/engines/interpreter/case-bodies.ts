// A switch case's statements, all of them (patches/README.md §42). wgsl_reflect 1.6.0's parser builds a case body
// recursively and keeps only the first statement of the rest (`[...statement, nextStatement[0]]`): a case of four
// statements ran its first two, silently. `case 1u: { s += 1u; s += 10u; s += 100u; }` added 11 on the interpreter,
// 111 on every GPU, and a buffer read only in a third statement was missing from the entry's resources. Imported by
// the interpreter's fixes (fixes.ts) and by the mutation parser (mutate/parse.ts), so every parse of the harness
// gets it.
import { TokenTypes, WgslParser } from 'wgsl_reflect/wgsl_reflect.module.js';

type Any = any;

let installed = false;

/** `_case_body` as the grammar says (`statement*`, or a `fallthrough;` of the old grammar): every statement up to the
 *  case's closing brace. Idempotent. */
export function fixCaseBodies(): void {
  if (installed) return;
  installed = true;
  const proto = WgslParser.prototype as Any;
  proto._case_body = function (this: Any): unknown[] {
    if (this._match(TokenTypes.keywords.fallthrough)) {
      this._consume(TokenTypes.tokens.semicolon, "Expected ';'");
      return [];
    }
    const body: unknown[] = [];
    for (;;) {
      const statement = this._statement();
      // Upstream's end: no statement (the case's `}`).
      if (statement === null) return body;
      if (Array.isArray(statement)) body.push(...statement);
      else body.push(statement);
    }
  };
}

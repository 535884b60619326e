// Fixes to wgsl_reflect 1.6.0's parser, which every parse of the harness goes through (the interpreter, the resources
// an entry uses, the mutation parser): each changed the program it read, silently, so its values were wrong on the
// interpreter and its bindings could be wrong on every engine. Imported by the interpreter's fixes (fixes.ts) and by
// the mutation parser (mutate/parse.ts).
import { Continue, Continuing, Loop, StaticAssert, Switch, TokenTypes, WgslParser } from 'wgsl_reflect/wgsl_reflect.module.js';

type Any = any;

let installed = false;

/** Installs the fixes below. Idempotent. */
export function fixParser(): void {
  if (installed) return;
  installed = true;
  const proto = WgslParser.prototype as Any;
  fixCaseBodies(proto);
  fixLoopBlocks(proto);
  fixPostfixAfterParens(proto);
  fixContinueInSwitch(proto);
  fixConstAssertStatement(proto);
}

/**
 * A switch case's statements, all of them (patches/README.md §42). Upstream builds a case body recursively and keeps
 * only the first statement of the rest (`[...statement, nextStatement[0]]`): a case of four statements ran its first
 * two. `case 1u: { s += 1u; s += 10u; s += 100u; }` added 11 on the interpreter, 111 on every GPU, and a buffer read
 * only in a third statement was missing from the entry's resources. Here: every statement up to the case's `}` (or a
 * `fallthrough;` of the old grammar).
 */
function fixCaseBodies(proto: Any) {
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
      // A block stays one (fixLoopBlocks).
      body.push(statement);
    }
  };
}

/**
 * A block (`{ ... }`) in a loop's body keeps its own scope (patches/README.md §55). Upstream's `_loop_statement`
 * spread a compound statement's statements into the loop's body, so a declaration inside the block outlived it: trial
 * 218's `var step = 1u; loop { { var step = 0u; } ... atomicCompareExchangeWeak(&c, old, old + step) }` added 0 on the
 * interpreter, 1 on every GPU, and a correct saturating histogram failed. A switch case's body spread them the same way
 * (fixCaseBodies). Here the block is kept as the nested list that `if` bodies already hold, which the executor and the
 * debugger run in a scope of their own.
 */
function fixLoopBlocks(proto: Any) {
  proto._loop_statement = function (this: Any) {
    if (!this._match(TokenTypes.keywords.loop)) return null;
    if (this._check(TokenTypes.tokens.attr)) this._attribute();
    this._consume(TokenTypes.tokens.brace_left, "Expected '{' for loop.");
    const loop = this._updateNode(new Loop([], null));
    this._currentLoop.push(loop);
    for (let s = this._statement(); s !== null; s = this._statement()) {
      loop.body.push(s);
      if (s instanceof Continuing) {
        loop.continuing = s;
        break;
      }
    }
    this._currentLoop.pop();
    this._consume(TokenTypes.tokens.brace_right, "Expected '}' for loop.");
    return loop;
  };
}

/**
 * A postfix after parentheses follows the one inside them (patches/README.md §44). A parenthesised expression is the
 * node inside, and upstream's `_singular_expression` set the postfix after the `)` as that node's postfix, over the
 * one it had: `(v.wzyx).x` was `v.x`, `(a[i]).y` was `a.y` (found by a random differential run against Dawn). Here the
 * postfix after the `)` goes at the end of the inner node's chain.
 */
function fixPostfixAfterParens(proto: Any) {
  proto._singular_expression = function (this: Any) {
    const expr = this._primary_expression();
    const p = this._postfix_expression();
    if (p) {
      let end = expr;
      while (end.postfix) end = end.postfix;
      end.postfix = p;
    }
    return expr;
  };
}

/**
 * A `continue` inside a switch continues the loop around it (WGSL §9.4.9 "Continue Statement": it applies to the
 * innermost loop; a switch is not one). Upstream keeps switches on the same stack as loops, for `break`, and gave such
 * a continue the switch's id, whose continue target does not exist: "Continue statement used outside of a loop", a
 * skip of every such kernel (found by a random differential run against Dawn). Here its id is the innermost loop's.
 */
function fixContinueInSwitch(proto: Any) {
  const statement = proto._statement;
  proto._statement = function (this: Any) {
    const s = statement.call(this);
    if (s instanceof Continue) {
      const loops = this._currentLoop as Any[];
      for (let k = loops.length - 1; k >= 0; k--) {
        if (!(loops[k] instanceof Switch)) {
          (s as Any).loopId = loops[k].id;
          break;
        }
      }
    }
    return s;
  };
}

/**
 * `const_assert` as a statement in a function (WGSL §9.x "Statements": const_assert_statement). Upstream's statement
 * parser knows only the old `static_assert`, so `const_assert K > 1u;` in a function stopped it ("Expected assignment
 * operator."): every engine reported the valid kernel as an error (trial 46). Parsed as at module scope.
 */
function fixConstAssertStatement(proto: Any) {
  const statement = proto._statement;
  proto._statement = function (this: Any) {
    if (!this._check(TokenTypes.keywords.const_assert)) return statement.call(this);
    this._advance();
    const line = this._currentLine;
    const expression = this._short_circuit_or_expression();
    this._consume(TokenTypes.tokens.semicolon, "Expected ';' after const_assert.");
    return this._updateNode(new StaticAssert(expression), line);
  };
}

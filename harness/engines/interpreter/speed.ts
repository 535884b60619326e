// Speed-ups of wgsl_reflect 1.6.0's interpreter that change no result, applied once to its prototypes (fixes.ts holds
// the changes of result). Each was found with `npx tsx bench/interpreter.ts --profile`.
import { WgslDebug } from 'wgsl_reflect/wgsl_reflect.module.js';

type Scope = { variables: Map<string, unknown>; parent: Scope | null };

let installed = false;

export function installSpeedups(): void {
  if (installed) return;
  installed = true;
  // ExecContext (not exported) looked a name up with has() then get() in every enclosing scope: one get() each. A
  // scope never maps a name to undefined (createVariable stores a VarRef), so the two agree.
  const ExecContext = new WgslDebug('').exec.context.constructor as { prototype: { getVariable(name: string): unknown } };
  ExecContext.prototype.getVariable = function (this: Scope, name: string) {
    let scope: Scope | null = this;
    do {
      const v = scope.variables.get(name);
      if (v !== undefined) return v;
      scope = scope.parent;
    } while (scope);
    return null;
  };
}

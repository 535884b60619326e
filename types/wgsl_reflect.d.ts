// The package's ESM build (the one with WgslDebug) ships no types of its own; they are the package's main types.
declare module 'wgsl_reflect/wgsl_reflect.module.js' {
  export * from 'wgsl_reflect';
}

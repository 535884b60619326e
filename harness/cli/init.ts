// `kernelscope init NAME [--dir DIR]`: writes a new kernel's four files (WGSL, spec, reference, properties) into a
// library, as a skeleton that runs and passes at once, and prints what to run next. It never overwrites a file.
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { LIBRARY, ROOT } from '../run/registry.ts';
import { elementwiseFiles } from '../scaffold/elementwise.ts';
import { nameProblem } from '../scaffold/name.ts';
import { UsageError } from './usage.ts';

const KIT = join(ROOT, 'harness', 'scaffold', 'kit.ts');
/** The kit by package name: package.json "exports", resolved for any library by harness/run/kit-hooks.mjs. */
const KIT_PACKAGE = 'kernelscope/kit';

export interface InitOptions {
  name: string;
  /** The library root to write into; default the current library (KERNELSCOPE_LIBRARY, or this repository). */
  dir?: string;
}

const shown = (path: string) => {
  const rel = relative(process.cwd(), path);
  // Outside the current folder the full path, as the next command prints it ("in ../lib" beside /tmp/lib read as two).
  return !rel ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
};

const inside = (path: string, dir: string) => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** Does `dir` see this very kernelscope as a package (node_modules/kernelscope, installed or linked)? */
function packageVisibleFrom(dir: string): boolean {
  const self = realpathSync(ROOT);
  for (let d = resolve(dir); ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', 'kernelscope');
    if (existsSync(candidate)) return realpathSync(candidate) === self;
    if (dirname(d) === d) return false;
  }
}

/** Is `root` this repository's own library (its kernels/, reference/, properties/)? A folder beside them inside the
 *  checkout (`--dir mine/lib`) is a library of its own. */
function isRepositoryLibrary(root: string): boolean {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p));
  return real(root) === real(ROOT);
}

/**
 * The specifier the generated files import the harness with. In this repository's own library, the relative path its
 * kernels use; in any other library, inside the checkout or not, the package name, which the CLI resolves to itself
 * (harness/run/kit-hooks.mjs), so moving either folder breaks nothing (a library made inside the checkout with a
 * relative path broke when copied out: round fifteen's trial).
 */
export function kitSpecifier(root: string): string {
  if (!isRepositoryLibrary(root)) return KIT_PACKAGE;
  return relative(join(root, 'kernels'), KIT).split(sep).join('/');
}

/** The nearest package.json at or above dir, if any. */
function nearestPackageJson(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return join(d, 'package.json');
    if (dirname(d) === d) return undefined;
  }
}

const isModuleType = (pkg: string) => {
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type === 'module';
  } catch {
    return false;
  }
};

/**
 * The extra files a library other than this repository's own needs: Node loads a .ts file as an ES module only under a
 * package.json with "type": "module" (else the import fails with ERR_REQUIRE_CYCLE_MODULE), and an editor or tsc
 * needs the compiler options the harness is written for (imports with .ts extensions).
 */
function supportFiles(root: string): Record<string, string> {
  if (isRepositoryLibrary(root)) return {};
  const files: Record<string, string> = {};
  const own = join(root, 'package.json');
  if (existsSync(own)) {
    if (!isModuleType(own)) {
      throw new UsageError(`${shown(own)} does not say "type": "module"; add it (kernel files are ES modules) and run init again`);
    }
  } else if (inside(root, ROOT) || !(nearestPackageJson(root) && isModuleType(nearestPackageJson(root)!))) {
    // Inside the checkout the nearest package.json is kernelscope's own: the library gets one, so it can move out.
    files['package.json'] = `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`;
  }
  if (!existsSync(join(root, 'tsconfig.json'))) {
    // Runs never read this file. For tsc and editors, `paths` points the package name at this checkout, and `typeRoots`
    // finds Node's types there (a properties file may read process.env); after moving the checkout, change both (or
    // install kernelscope and @types/node into the library's node_modules, which tsc finds without them).
    files['tsconfig.json'] = `${JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2023'],
        typeRoots: [join(ROOT, 'node_modules', '@types')], types: ['node'],
        strict: true, noUncheckedIndexedAccess: true, allowImportingTsExtensions: true, noEmit: true,
        skipLibCheck: true, isolatedModules: true, verbatimModuleSyntax: true,
        paths: { [KIT_PACKAGE]: [KIT], 'kernelscope/api': [join(ROOT, 'harness', 'api.ts')] },
      },
      include: ['kernels', 'reference', 'properties'],
    }, null, 2)}\n`;
  }
  return files;
}

const ROLES: Record<string, string> = {
  wgsl: 'the kernel: y = x·x until you change it',
  'kernel.ts': 'its spec: buffers, bindings, dispatch',
  reference: 'the float64 reference',
  properties: "cases, the tolerance, the metamorphic property 'even'",
};

function role(path: string): string {
  if (path.endsWith('.wgsl')) return ROLES.wgsl!;
  if (path.endsWith('.kernel.ts')) return ROLES['kernel.ts']!;
  if (path.startsWith('reference/')) return ROLES.reference!;
  if (path.startsWith('properties/')) return ROLES.properties!;
  if (path === 'package.json') return 'makes Node load the library as ES modules';
  return 'compiler options for your editor and tsc';
}

/** init's first line: where the kernel went. */
export function initHeadline(name: string, root: string): string {
  return `kernelscope init: kernel '${name}' in ${shown(root)}`;
}

/** From a folder outside the library, with no --dir and no KERNELSCOPE_LIBRARY, the library would be kernelscope's
 *  own checkout (or its folder in node_modules): refused, with what to write, before any file is written. Said after
 *  the files were written, it still left a kernel 'lib' in the checkout of trials 55, 83 to 92, who had meant a
 *  library folder of their own. */
export function initRefusal(name: string, named: boolean, cwd: string): string | undefined {
  if (named || inside(cwd, LIBRARY)) return undefined;
  return `this folder is outside kernelscope's own library (${shown(LIBRARY)}), and init writes nothing here without being told where: for a library of your own, init ${name} --dir DIR (--dir . for this folder), then KERNELSCOPE_LIBRARY=DIR for the commands after; to add to kernelscope's own library, run it from there`;
}

export async function initCommand(o: InitOptions): Promise<number> {
  const problem = nameProblem(o.name);
  if (problem) throw new UsageError(problem);
  const refused = initRefusal(o.name, !!o.dir || !!process.env.KERNELSCOPE_LIBRARY, process.cwd());
  if (refused) throw new UsageError(refused);
  const root = resolve(o.dir ?? LIBRARY);
  const kernelFiles = elementwiseFiles(o.name, kitSpecifier(root));
  for (const path of Object.keys(kernelFiles)) {
    const full = join(root, path);
    if (existsSync(full)) throw new UsageError(`${shown(full)} already exists; init never overwrites a file (choose another name, or remove it)`);
  }
  const files = { ...kernelFiles, ...supportFiles(root) };
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    // 'wx': a file that appeared since the check above is still not overwritten.
    writeFileSync(full, text, { flag: 'wx' });
  }

  const width = Math.max(...Object.keys(files).map((p) => p.length));
  console.log(initHeadline(o.name, root));
  for (const path of Object.keys(files)) console.log(`  ${path.padEnd(width)}  ${role(path)}`);
  // Absolute: the next command then works from any folder, the library's own included (a relative one did only from here).
  const env = root === LIBRARY ? '' : `KERNELSCOPE_LIBRARY=${root} `;
  // `npx kernelscope` only where it resolves to this checkout, from here and from the library both: elsewhere npx
  // looks the name up in the npm registry (a new user's library folder got a 404, and would run whatever package
  // took the name). The node form is absolute, so it runs from either.
  const reachable = (dir: string) => inside(dir, ROOT) || packageVisibleFrom(dir);
  const cli = reachable(process.cwd()) && reachable(root) ? 'npx kernelscope' : `node ${join(ROOT, 'bin', 'kernelscope.mjs')}`;
  console.log('next:');
  console.log(`  ${env}${cli} test --kernel ${o.name} --runs 20    # passes as generated`);
  console.log(`  then change the WGSL, reference/${o.name}.ts and the tolerance together: ${shown(join(ROOT, 'docs', 'writing-a-kernel.md'))}`);
  return 0;
}

// `package://NAME/path` as ROS resolves it: NAME is a package, a folder named NAME or holding a package.xml
// whose <name> is NAME, found upward from the URDF, then on the package path (--package-path, ROS_PACKAGE_PATH).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export interface PackageLookup {
  /** The URDF file; the search for a package starts in its folder. */
  urdfPath: string;
  /** Folders searched after the URDF's ancestors, in order (each may be a package or hold packages). */
  packagePath: string[];
  /** Package roots already found (or not), by name. */
  found: Map<string, string | undefined>;
}

export type PackageFile = { path: string } | { missing: string };

/** The package's file, or what was tried, for a warning. */
export function resolvePackageUri(uri: string, lookup: PackageLookup): PackageFile {
  const [name, ...rest] = uri.slice('package://'.length).split('/');
  if (!lookup.found.has(name)) lookup.found.set(name, findPackage(name, lookup));
  const root = lookup.found.get(name);
  if (root === undefined) {
    const path = lookup.packagePath.length ? `, then in ${lookup.packagePath.join(', ')}` : ' (no --package-path or ROS_PACKAGE_PATH given)';
    return { missing: `package '${name}' not found: looked for a folder named '${name}' or a package.xml naming it upward from ${dirname(resolve(lookup.urdfPath))}${path}` };
  }
  const path = join(root, ...rest);
  return existsSync(path) ? { path } : { missing: `file not found: ${path}` };
}

function findPackage(name: string, lookup: PackageLookup): string | undefined {
  for (let dir = dirname(resolve(lookup.urdfPath)); ; dir = dirname(dir)) {
    if (isPackage(dir, name)) return dir;
    if (isDir(join(dir, name))) return join(dir, name);
    if (dirname(dir) === dir) break;
  }
  for (const entry of lookup.packagePath) {
    const dir = resolve(entry);
    if (isPackage(dir, name)) return dir;
    if (isDir(join(dir, name))) return join(dir, name);
    const inside = subfolders(dir).find((sub) => isPackage(sub, name));
    if (inside) return inside;
  }
  return undefined;
}

function isPackage(dir: string, name: string): boolean {
  if (basename(dir) === name) return true;
  const manifest = join(dir, 'package.xml');
  if (!existsSync(manifest)) return false;
  try {
    return /<name>\s*([^<\s]+)\s*<\/name>/.exec(readFileSync(manifest, 'utf8'))?.[1] === name;
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

/** ROS_PACKAGE_PATH's folders (':'-separated; ';' on Windows). */
export function rosPackagePath(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.ROS_PACKAGE_PATH ?? '').split(process.platform === 'win32' ? ';' : ':').filter((p) => p !== '');
}

/**
 * Plan folders: a folder holding a `trackplan.yaml` is a plan, and every YAML file below it belongs
 * to it (the server decides the finer rules: hidden folders, git-ignored paths, nested plans).
 * The client only talks to the server about YAML files inside plan folders, so YAML files elsewhere
 * stay the YAML extension's alone.
 */

import * as path from 'node:path';

export const ROOT_FILE = 'trackplan.yaml';
export const ROOT_FILE_GLOB = '**/trackplan.yaml';
/** Never searched for plans: dependencies and VCS metadata. */
export const EXCLUDE_GLOB = '**/{node_modules,.git,target}/**';
export const PLAN_FILE_GLOB = '**/*.{yaml,yml}';

/** Plan roots from the paths of the `trackplan.yaml` files found: sorted, without duplicates. */
export function planRoots(rootFiles: readonly string[]): string[] {
  const roots = rootFiles.filter((file) => path.basename(file) === ROOT_FILE).map((file) => path.dirname(file));
  return [...new Set(roots)].sort();
}

/**
 * A document filter per plan folder: YAML files on disk below it. The pattern is matched against
 * the document's absolute path, so the folder is written with `/` and its glob characters escaped.
 */
export function documentSelector(roots: readonly string[]): { scheme: string; language: string; pattern: string }[] {
  return roots.map((root) => ({
    scheme: 'file',
    language: 'yaml',
    pattern: `${escapeGlob(root.split(path.sep).join('/')).replace(/\/+$/, '')}/${PLAN_FILE_GLOB}`,
  }));
}

/** Makes a path match itself literally in a glob: `*?[{}` become one-character classes. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[{}]/g, (character) => `[${character}]`);
}

/** The plan a file belongs to: the deepest plan folder that contains it. */
export function planOf(file: string, roots: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const root of roots) {
    const relative = path.relative(root, file);
    const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
    if (inside && (best === undefined || root.length > best.length)) {
      best = root;
    }
  }
  return best;
}

export function sameRoots(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((root, i) => root === b[i]);
}

/** The parts of `cdktf.out/manifest.json` that validation reads. */
export interface Manifest {
  readonly stacks: Record<string, { readonly name?: string; readonly workingDirectory: string; readonly dependencies?: readonly string[] }>;
}

/** A stack to validate, in dependency order. */
export interface ManifestStack {
  readonly name: string;
  /** Directory of the synthesized stack, relative to `cdktf.out/`. */
  readonly workingDirectory: string;
  readonly dependencies: readonly string[];
}

/**
 * The manifest's stacks, each after the stacks it depends on (manifest order otherwise).
 * `only` keeps the named stacks; an unknown name throws with the list of known ones.
 */
export function orderStacks(manifest: Manifest, only: readonly string[] = []): ManifestStack[] {
  const all = Object.entries(manifest.stacks).map(([key, s]) => ({
    name: s.name ?? key,
    workingDirectory: s.workingDirectory,
    dependencies: s.dependencies ?? [],
  }));
  const byName = new Map(all.map((s) => [s.name, s]));
  const unknown = only.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    throw new Error(`Unknown stack ${unknown.map((n) => `"${n}"`).join(', ')}; the synthesized stacks are: ${[...byName.keys()].join(', ')}`);
  }

  const ordered: ManifestStack[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (stack: ManifestStack, path: string[]): void => {
    if (state.get(stack.name) === 'done') return;
    if (state.get(stack.name) === 'visiting') throw new Error(`Stacks depend on each other in a cycle: ${[...path, stack.name].join(' -> ')}`);
    state.set(stack.name, 'visiting');
    for (const dep of stack.dependencies) {
      const upstream = byName.get(dep);
      if (upstream) visit(upstream, [...path, stack.name]);
    }
    state.set(stack.name, 'done');
    ordered.push(stack);
  };
  for (const stack of all) visit(stack, []);
  return only.length === 0 ? ordered : ordered.filter((s) => only.includes(s.name));
}

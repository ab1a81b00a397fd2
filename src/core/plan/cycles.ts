// Dependency cycles, one per strongly connected component (Tarjan), each named from the
// component's first stream in document order along a shortest path back to it.

export type Graph = ReadonlyMap<string, readonly string[]>;

export function findCycles(order: readonly string[], dependsOn: Graph): string[][] {
  const components = stronglyConnected(order, dependsOn);
  const position = new Map(order.map((id, index) => [id, index]));
  const cycles: string[][] = [];
  for (const component of components) {
    const start = component.reduce((a, b) => ((position.get(a) ?? 0) <= (position.get(b) ?? 0) ? a : b));
    const loops = dependsOn.get(start)?.includes(start) ?? false;
    if (component.length === 1 && !loops) continue;
    cycles.push(loops ? [start, start] : shortestLoop(start, new Set(component), dependsOn));
  }
  return cycles.sort((a, b) => (position.get(a[0] ?? '') ?? 0) - (position.get(b[0] ?? '') ?? 0));
}

function shortestLoop(start: string, within: ReadonlySet<string>, dependsOn: Graph): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    for (const next of dependsOn.get(node) ?? []) {
      if (!within.has(next)) continue;
      if (next === start) {
        const path = [node];
        for (let at = node; at !== start; at = previous.get(at) as string) path.push(previous.get(at) as string);
        return [...path.reverse(), start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

function stronglyConnected(order: readonly string[], dependsOn: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    onStack.add(node);
    for (const next of dependsOn.get(node) ?? []) {
      if (!dependsOn.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  };
  for (const node of order) if (!index.has(node)) visit(node);
  return components;
}

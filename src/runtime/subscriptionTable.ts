import type { Address } from "./types";

/** One link of a filter chain: a filter kind from the catalog and its parameters. */
export interface FilterSpec {
  name: string;
  params?: unknown;
}

/** Who receives matching events: an engine, plus a tag it uses to tell subscriptions apart. */
export interface Subscriber {
  address: Address;
  tag?: string;
}

export interface ChainNode {
  key: string;
  parentKey: string | undefined;
  filter: FilterSpec | undefined;
  subscribers: Map<string, Subscriber>;
  children: Set<string>;
}

export const ROOT_KEY = "";

export function chainKey(chain: readonly FilterSpec[]): string {
  return chain.length === 0
    ? ROOT_KEY
    : JSON.stringify(chain.map((f) => [f.name, f.params ?? null]));
}

export function subscriberKey(s: Subscriber): string {
  return `${s.address.node ?? ""}/${s.address.engine}/${s.tag ?? ""}`;
}

/**
 * Subscriptions by filter chain. It is owned above the pubsub subtree (like an ETS table
 * whose heir is the supervisor), so a crash and restart of the broker, the filter
 * registry or an agent loses no subscription.
 */
export class SubscriptionTable {
  private readonly nodes = new Map<string, ChainNode>([
    [
      ROOT_KEY,
      {
        key: ROOT_KEY,
        parentKey: undefined,
        filter: undefined,
        subscribers: new Map(),
        children: new Set(),
      },
    ],
  ]);

  get(key: string): ChainNode | undefined {
    return this.nodes.get(key);
  }

  root(): ChainNode {
    return this.nodes.get(ROOT_KEY) as ChainNode;
  }

  /** Keys of all filter nodes, parents before children. */
  filterKeys(): string[] {
    const out: string[] = [];
    const walk = (key: string) => {
      for (const child of this.nodes.get(key)?.children ?? []) {
        out.push(child);
        walk(child);
      }
    };
    walk(ROOT_KEY);
    return out;
  }

  /** Ensures a node for every prefix of `chain`; returns the keys it created, parents first. */
  ensure(chain: readonly FilterSpec[]): { key: string; created: string[] } {
    const created: string[] = [];
    let parent = ROOT_KEY;
    for (let i = 1; i <= chain.length; i++) {
      const key = chainKey(chain.slice(0, i));
      if (!this.nodes.has(key)) {
        this.nodes.set(key, {
          key,
          parentKey: parent,
          filter: chain[i - 1],
          subscribers: new Map(),
          children: new Set(),
        });
        this.nodes.get(parent)?.children.add(key);
        created.push(key);
      }
      parent = key;
    }
    return { key: parent, created };
  }

  /** Removes nodes left with neither subscribers nor children, leaf first; returns their keys. */
  prune(key: string): string[] {
    const removed: string[] = [];
    let node = this.nodes.get(key);
    while (
      node &&
      node.key !== ROOT_KEY &&
      node.subscribers.size === 0 &&
      node.children.size === 0
    ) {
      this.nodes.delete(node.key);
      removed.push(node.key);
      const parent = node.parentKey === undefined ? undefined : this.nodes.get(node.parentKey);
      parent?.children.delete(node.key);
      node = parent;
    }
    return removed;
  }

  /** Removes a subscriber from every chain (its engine went away); returns pruned keys. */
  removeEverywhere(match: (s: Subscriber) => boolean): string[] {
    const removed: string[] = [];
    for (const node of [...this.nodes.values()]) {
      for (const [k, s] of node.subscribers) if (match(s)) node.subscribers.delete(k);
    }
    for (const key of this.filterKeys().reverse()) {
      if (this.nodes.has(key)) removed.push(...this.prune(key));
    }
    return removed;
  }
}

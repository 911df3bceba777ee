import type { Rng } from "./contract";
import type { GossipTunables } from "./p2pOptions";
import { pick } from "./pick";

/** Topics a node keeps a mesh for; topics come from peers, so the least recently used goes. */
export const MAX_MESH_TOPICS = 64;
/** Prune backoffs remembered (topic, peer); the oldest go first. */
const MAX_BACKOFFS = 10_000;

/** A mesh change a heartbeat decided, for the caller to tell the peer. */
export interface MeshChange {
  readonly peer: string;
  readonly topic: string;
}

/**
 * Each topic's mesh: its peers and, per peer, whether whole messages go to it (eager) or
 * only their ids (lazy). Membership follows GossipSub (GRAFT, PRUNE with a backoff, D_low
 * and D_high); eagerness follows Plumtree (a duplicate chokes a link, a missing message
 * unchokes it). Decisions only: the caller sends the frames.
 */
export class TopicMeshes {
  /** topic -> peer -> eager. Map order is recency of use (for eviction). */
  private readonly meshes = new Map<string, Map<string, boolean>>();
  /** `${topic}\n${peer}` -> time until which the peer is not grafted on the topic. */
  private readonly backoffs = new Map<string, number>();

  constructor(
    private readonly options: Pick<
      GossipTunables,
      "meshDegree" | "meshDegreeLow" | "meshDegreeHigh" | "meshEagerMin" | "pruneBackoffMs"
    >,
    private readonly rng: Rng,
  ) {}

  peerCount(): number {
    let n = 0;
    for (const mesh of this.meshes.values()) n += mesh.size;
    return n;
  }

  peersOf(topic: string): string[] {
    return [...(this.meshes.get(topic)?.keys() ?? [])];
  }

  topics(): string[] {
    return [...this.meshes.keys()];
  }

  size(topic: string): number {
    return this.meshes.get(topic)?.size ?? 0;
  }

  /** The peer leaves every mesh (its connection ended). */
  remove(peer: string): void {
    for (const mesh of this.meshes.values()) mesh.delete(peer);
  }

  has(topic: string, peer: string): boolean {
    return this.meshes.get(topic)?.has(peer) === true;
  }

  isEager(topic: string, peer: string): boolean {
    return this.meshes.get(topic)?.get(peer) === true;
  }

  eagerCount(topic: string): number {
    let n = 0;
    for (const eager of this.meshes.get(topic)?.values() ?? []) if (eager) n += 1;
    return n;
  }

  setEager(topic: string, peer: string, eager: boolean): void {
    const mesh = this.meshes.get(topic);
    if (mesh?.has(peer) === true) mesh.set(peer, eager);
  }

  inBackoff(topic: string, peer: string, now: number): boolean {
    const until = this.backoffs.get(`${topic}\n${peer}`);
    return until !== undefined && until > now;
  }

  /**
   * The mesh of `topic`, made from up to D of `candidates` (each passed to `graft`) the
   * first time the topic is used; returns its peers.
   */
  ensure(topic: string, candidates: readonly string[], graft: (peer: string) => void): string[] {
    let mesh = this.meshes.get(topic);
    if (mesh !== undefined) {
      this.meshes.delete(topic);
      this.meshes.set(topic, mesh);
      return [...mesh.keys()];
    }
    if (this.meshes.size >= MAX_MESH_TOPICS) {
      this.meshes.delete(this.meshes.keys().next().value as string);
    }
    mesh = new Map();
    this.meshes.set(topic, mesh);
    for (const peer of pick(candidates, this.options.meshDegree, this.rng)) {
      mesh.set(peer, this.eagerCount(topic) < this.options.meshEagerMin);
      graft(peer);
    }
    return [...mesh.keys()];
  }

  /**
   * A peer's GRAFT: taken unless the mesh is at D_high already; eager only while the mesh
   * has fewer than meshEagerMin eager links, so a joining peer adds few cycles.
   */
  accept(topic: string, peer: string): boolean {
    const mesh = this.meshes.get(topic);
    if (mesh === undefined) return false;
    if (mesh.has(peer)) return true;
    if (mesh.size >= this.options.meshDegreeHigh) return false;
    mesh.set(peer, this.eagerCount(topic) < this.options.meshEagerMin);
    return true;
  }

  /** The peer left our mesh (its PRUNE, or ours): not grafted again for the backoff. */
  pruned(topic: string, peer: string, now: number): void {
    this.meshes.get(topic)?.delete(peer);
    const key = `${topic}\n${peer}`;
    this.backoffs.delete(key);
    if (this.backoffs.size >= MAX_BACKOFFS) {
      this.backoffs.delete(this.backoffs.keys().next().value as string);
    }
    this.backoffs.set(key, now + this.options.pruneBackoffMs);
  }

  /**
   * The heartbeat's upkeep: peers gone or scored below zero leave; a mesh under D_low is
   * grafted up to D from `candidates` (not in backoff), one over D_high pruned down to D.
   */
  maintain(
    connected: ReadonlySet<string>,
    candidates: readonly string[],
    score: (peer: string) => number,
    now: number,
  ): { grafted: MeshChange[]; pruned: MeshChange[] } {
    const grafted: MeshChange[] = [];
    const prunedOut: MeshChange[] = [];
    for (const [key, until] of this.backoffs) if (until <= now) this.backoffs.delete(key);
    const { meshDegree, meshDegreeLow, meshDegreeHigh } = this.options;
    for (const [topic, mesh] of this.meshes) {
      for (const peer of [...mesh.keys()]) {
        if (!connected.has(peer)) mesh.delete(peer);
        else if (score(peer) < 0) {
          this.pruned(topic, peer, now);
          prunedOut.push({ peer, topic });
        }
      }
      if (mesh.size < meshDegreeLow) {
        const free = candidates.filter((p) => !mesh.has(p) && !this.inBackoff(topic, p, now));
        for (const peer of pick(free, meshDegree - mesh.size, this.rng)) {
          mesh.set(peer, this.eagerCount(topic) < this.options.meshEagerMin);
          grafted.push({ peer, topic });
        }
      } else if (mesh.size > meshDegreeHigh) {
        for (const peer of pick([...mesh.keys()], mesh.size - meshDegree, this.rng)) {
          this.pruned(topic, peer, now);
          prunedOut.push({ peer, topic });
        }
      }
    }
    return { grafted, pruned: prunedOut };
  }
}

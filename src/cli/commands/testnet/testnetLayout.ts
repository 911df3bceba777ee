import type { PlannedNode } from "./planTestnet";
import { planChains } from "./planTestnet";

/** A node's identity as the configs of the others name it. */
export interface NodeKey {
  id: string;
  /** base64 ed25519 public key. */
  publicKey: string;
}

/** The chains of a testnet: `validators` of the nodes validate each, with equal power. */
export function chainSpecs(keys: NodeKey[], validators: number | undefined, chains: number) {
  return planChains(keys.length, validators, chains).map((members, c) => ({
    chainId: `chain-${c}`,
    validators: members.map((i) => ({
      id: (keys[i] as NodeKey).id,
      publicKey: (keys[i] as NodeKey).publicKey,
      power: 1,
    })),
  }));
}

/** Whom each node dials (`p2p.peers`, with the id it must present) and all it links to. */
export function peering(plan: PlannedNode[], keys: NodeKey[]) {
  const neighbours = plan.map(() => new Set<string>());
  for (const p of plan) {
    for (const j of p.dials) {
      neighbours[p.index]?.add((keys[j] as NodeKey).id);
      neighbours[j]?.add((keys[p.index] as NodeKey).id);
    }
  }
  return plan.map((p) => ({
    peers: p.dials.map((j) => ({
      address: `${plan[j]?.host}:${plan[j]?.p2pPort}`,
      id: (keys[j] as NodeKey).id,
    })),
    neighbours: [...(neighbours[p.index] ?? [])].sort(),
  }));
}

import { describe, expect, it } from "vitest";
import { seededRng } from "../../../src/p2p";
import { TopicMeshes } from "../../../src/p2p/topicMeshes";

const OPTIONS = {
  meshDegree: 3,
  meshDegreeLow: 2,
  meshDegreeHigh: 4,
  meshEagerMin: 2,
  pruneBackoffMs: 1_000,
};
const peers = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);

describe("TopicMeshes", () => {
  it("ensure() makes a topic's mesh of D peers on first use, the first meshEagerMin eager", () => {
    const meshes = new TopicMeshes(OPTIONS, seededRng(1));
    const grafted: string[] = [];
    const members = meshes.ensure("t", peers(8), (p) => grafted.push(p));
    expect(members).toHaveLength(3);
    expect(grafted).toEqual(members);
    expect(meshes.eagerCount("t")).toBe(2);
    // The second use keeps the mesh as it is.
    expect(meshes.ensure("t", peers(8), () => grafted.push("again"))).toEqual(members);
    expect(grafted).toHaveLength(3);
  });

  it("accept() takes a GRAFT up to D_high and refuses one more", () => {
    const meshes = new TopicMeshes(OPTIONS, seededRng(1));
    meshes.ensure("t", [], () => {});
    for (const p of peers(4)) expect(meshes.accept("t", p)).toBe(true);
    expect(meshes.accept("t", "p9")).toBe(false);
    expect(meshes.accept("t", "p0")).toBe(true);
    expect(meshes.eagerCount("t")).toBe(2);
  });

  it("pruned() removes the peer and keeps it out of grafts for the backoff", () => {
    const meshes = new TopicMeshes(OPTIONS, seededRng(1));
    meshes.ensure("t", ["a"], () => {});
    meshes.pruned("t", "a", 0);
    expect(meshes.has("t", "a")).toBe(false);
    expect(meshes.inBackoff("t", "a", 999)).toBe(true);
    const early = meshes.maintain(new Set(["a"]), ["a"], () => 0, 500);
    expect(early.grafted).toEqual([]);
    const later = meshes.maintain(new Set(["a"]), ["a"], () => 0, 1_000);
    expect(later.grafted).toEqual([{ peer: "a", topic: "t" }]);
  });

  it("maintain() drops peers gone, prunes scores below zero, grafts under D_low and prunes over D_high", () => {
    const meshes = new TopicMeshes(OPTIONS, seededRng(2));
    meshes.ensure("t", [], () => {});
    for (const p of ["a", "b", "c", "d"]) meshes.accept("t", p);
    const scores: Record<string, number> = { a: -1 };
    const result = meshes.maintain(
      new Set(["a", "b", "x", "y"]),
      ["b", "x", "y"],
      (p) => scores[p] ?? 0,
      0,
    );
    expect(result.pruned).toEqual([{ peer: "a", topic: "t" }]);
    // c and d are gone, a pruned: b alone is under D_low, so two of x, y join (D = 3).
    expect(result.grafted.map((g) => g.peer).sort()).toEqual(["x", "y"]);
    expect(meshes.peersOf("t").sort()).toEqual(["b", "x", "y"]);

    for (const p of ["e", "f", "g"]) meshes.accept("t", p);
    meshes.accept("t", "h");
    const all = new Set(["b", "x", "y", "e", "f", "g", "h"]);
    expect(meshes.size("t")).toBe(4);
    expect(meshes.maintain(all, [...all], () => 0, 0).pruned).toEqual([]);
  });

  it("keeps at most MAX_MESH_TOPICS meshes, forgetting the least recently used", async () => {
    const { MAX_MESH_TOPICS } = await import("../../../src/p2p/topicMeshes");
    const meshes = new TopicMeshes(OPTIONS, seededRng(3));
    for (let i = 0; i <= MAX_MESH_TOPICS; i += 1) meshes.ensure(`t${i}`, [], () => {});
    expect(meshes.topics()).toHaveLength(MAX_MESH_TOPICS);
    expect(meshes.topics()).not.toContain("t0");
  });
});

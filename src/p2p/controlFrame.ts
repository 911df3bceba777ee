import { MAX_CONTROL_IDS } from "./frameLimits";
import type { ControlFrame } from "./frameTypes";

/** Control entries queued for one peer are merged into one frame (see Gossip's outbox). */

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Adds `topic` to a part; a graft and a prune (or choke and unchoke) of one topic: the later wins. */
export function addTopic(
  frame: ControlFrame,
  part: "graft" | "prune" | "choke" | "unchoke",
  topic: string,
): void {
  const list = frame[part] ?? [];
  if (!list.includes(topic)) list.push(topic);
  frame[part] = list;
  // A graft and a prune of one topic in one frame: the later one is what we mean.
  const opposite = { graft: "prune", prune: "graft", choke: "unchoke", unchoke: "choke" } as const;
  const other = frame[opposite[part]];
  if (other !== undefined) frame[opposite[part]] = other.filter((t) => t !== topic);
}

export function addIHave(frame: ControlFrame, topic: string, id: Uint8Array): void {
  const list = frame.ihave ?? [];
  frame.ihave = list;
  let entry = list.find((e) => e.topic === topic);
  if (entry === undefined) {
    entry = { topic, ids: [] };
    list.push(entry);
  }
  if (!entry.ids.some((known) => sameBytes(known, id))) entry.ids.push(id);
}

/** A queued control frame as frames within the wire limits (ids split over several). */
export function splitControl(frame: ControlFrame): ControlFrame[] {
  const ihave = frame.ihave ?? [];
  const iwant = frame.iwant ?? [];
  const ihaveIds = ihave.reduce((s, e) => s + e.ids.length, 0);
  if (ihaveIds <= MAX_CONTROL_IDS && iwant.length <= MAX_CONTROL_IDS) return [frame];
  const out: ControlFrame[] = [{ ...frame, ihave: [], iwant: iwant.slice(0, MAX_CONTROL_IDS) }];
  for (let i = MAX_CONTROL_IDS; i < iwant.length; i += MAX_CONTROL_IDS) {
    out.push({ type: "ctl", iwant: iwant.slice(i, i + MAX_CONTROL_IDS) });
  }
  for (const entry of ihave) {
    for (let i = 0; i < entry.ids.length; i += MAX_CONTROL_IDS) {
      out.push({
        type: "ctl",
        ihave: [{ topic: entry.topic, ids: entry.ids.slice(i, i + MAX_CONTROL_IDS) }],
      });
    }
  }
  return out;
}

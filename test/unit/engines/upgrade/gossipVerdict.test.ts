import { afterEach, describe, expect, it } from "vitest";
import { defaultUpgradeOptions } from "../../../../src/config";
import { upgradeEngine } from "../../../../src/engines";
import { gossipVerdict } from "../../../../src/engines/upgrade/gossipVerdict";
import { type Engine, type Mailer, ModuleTable, Registry, spawn } from "../../../../src/runtime";
import {
  canonicalJson,
  generateSigningKey,
  type SignedManifest,
  signManifest,
  trustedKeyOf,
} from "../../../../src/upgrade";
import { tempDir } from "../../../support/tempDir";
import { signedAppRelease, tinyAppBundle } from "../../../support/tinyRelease";
import { waitUntil } from "../../../support/waitUntil";

const RELEASE = "upgrade.release";
const PROOF = "upgrade.equivocation";
const DAY = 86_400_000;

const key = generateSigningKey("trusted");
const stranger = generateSigningKey("stranger");
const trust = { threshold: 1, keys: [trustedKeyOf(key)] };
const now = Date.now();
const at = { trust, now };

const release = (version: string, o: { createdAt?: number; keys?: (typeof key)[] } = {}) =>
  signedAppRelease(version, tinyAppBundle(version), o.keys ?? [key], {
    ...(o.createdAt === undefined ? {} : { createdAt: o.createdAt }),
  });
const text = (s: SignedManifest) => canonicalJson(s);

function broken(s: SignedManifest): SignedManifest {
  const sig = s.signatures[0];
  if (sig === undefined) throw new Error("unsigned");
  const bytes = Buffer.from(sig.signature, "base64");
  bytes[0] = (bytes[0] as number) ^ 0xff;
  return { ...s, signatures: [{ ...sig, signature: bytes.toString("base64") }] };
}

/** The same release content, re-dated: a second manifest (another digest) for one version. */
function twin(s: SignedManifest): SignedManifest {
  const manifest = { ...s.manifest, createdAt: new Date(now - 5_000).toISOString() };
  return { manifest, signatures: [signManifest(manifest, key)] };
}

describe("gossipVerdict", () => {
  const good = release("0.2.0");
  const expired = release("0.2.1", { createdAt: now - 2 * DAY });
  const cases: Array<[string, string, unknown, "accept" | "reject" | "ignore"]> = [
    ["a release signed by a trusted key", RELEASE, { signed: text(good) }, "accept"],
    // Refusals of this node alone (not newer, another platform) are intake's, not the relay's.
    ["an old release, validly signed", RELEASE, { signed: text(release("0.0.1")) }, "accept"],
    [
      "a release by an unknown key",
      RELEASE,
      { signed: text(release("0.2.0", { keys: [stranger] })) },
      "reject",
    ],
    ["a release with a broken signature", RELEASE, { signed: text(broken(good)) }, "reject"],
    ["an unsigned release", RELEASE, { signed: text({ ...good, signatures: [] }) }, "reject"],
    ["an expired release", RELEASE, { signed: text(expired) }, "reject"],
    ["text that is not a manifest", RELEASE, { signed: "not a manifest" }, "reject"],
    ["a body with no manifest", RELEASE, { junk: 1 }, "reject"],
    ["a manifest as an object, not text", RELEASE, { signed: good }, "reject"],
    ["no body at all", RELEASE, null, "reject"],
    [
      "a proof of two manifests for one version",
      PROOF,
      { a: text(good), b: text(twin(good)) },
      "accept",
    ],
    ["a proof of the same manifest twice", PROOF, { a: text(good), b: text(good) }, "reject"],
    ["a proof of two versions", PROOF, { a: text(good), b: text(release("0.3.0")) }, "reject"],
    ["a proof with one half junk", PROOF, { a: text(good), b: "garbage" }, "reject"],
    [
      "a proof signed by an unknown key",
      PROOF,
      {
        a: text(release("0.2.0", { keys: [stranger] })),
        b: text(release("0.2.0", { keys: [stranger], createdAt: now - 5_000 })),
      },
      "reject",
    ],
    ["a proof with no halves", PROOF, 7, "reject"],
    ["a topic it does not judge", "other", { signed: text(good) }, "ignore"],
  ];
  for (const [what, topic, body, verdict] of cases) {
    it(`${verdict}s ${what}`, () => {
      expect(gossipVerdict(topic, body, at)).toBe(verdict);
    });
  }

  it("ignores everything, blaming nobody, when no key is trusted", () => {
    const none = { trust: { threshold: 1, keys: [] }, now };
    expect(gossipVerdict(RELEASE, { signed: text(good) }, none)).toBe("ignore");
    expect(gossipVerdict(RELEASE, { junk: 1 }, none)).toBe("ignore");
  });

  it("judges expiry by the time it is given", () => {
    const later = { trust, now: now + 2 * DAY };
    expect(gossipVerdict(RELEASE, { signed: text(good) }, later)).toBe("reject");
  });
});

describe("upgrade engine on gossip", () => {
  const engines: Engine<unknown>[] = [];
  const dirs: Array<{ remove(): void }> = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop();
    for (const d of dirs.splice(0)) d.remove();
  });

  it("tells the transport its verdict on each message, by the message's id", async () => {
    const recent: Array<{ id: string; topic: string; body: unknown; from: string }> = [];
    const verdicts: unknown[] = [];
    const registry = new Registry();
    const mailer: Mailer = {
      call(to, msg, timeoutMs) {
        const m = msg as { type: string; topic?: string };
        if (to.engine === "transport") {
          return Promise.resolve(
            m.type === "recent" ? recent.filter((r) => r.topic === m.topic) : [],
          );
        }
        return registry.call(to, msg, timeoutMs);
      },
      cast(to, msg) {
        if (to.engine === "transport") verdicts.push(msg);
        else registry.cast(to, msg);
      },
      send(to, msg) {
        registry.send(to, msg);
      },
    };
    const dir = tempDir("anode-gossip-verdict-");
    dirs.push(dir);
    const engine = await spawn(
      upgradeEngine,
      {
        options: { ...defaultUpgradeOptions, policy: "manual", trustedKeys: trust },
        dataDir: dir.path,
        nodeId: "self",
        modules: new ModuleTable(),
        broker: {
          subscribe: async () => "",
          unsubscribeEngine: async () => {},
          publish: () => {},
        } as never,
        platform: "linux-x64",
        binary: { path: undefined, owner: undefined },
        exit: () => {},
      },
      { registry, mailer },
    );
    engines.push(engine as Engine<unknown>);
    const deliver = (topic: string, id: string, body?: unknown) => {
      if (body !== undefined) recent.push({ id, topic, body, from: "peer-a" });
      engine.info({
        type: "broker.event",
        tag: topic,
        event: { topic: "gossip.received", body: { id, origin: "peer-b", topic } },
      });
    };
    deliver(RELEASE, "m-good", { signed: text(release("0.2.0")) });
    deliver(RELEASE, "m-stranger", { signed: text(release("0.3.0", { keys: [stranger] })) });
    deliver(RELEASE, "m-gone");
    deliver(PROOF, "p-junk", { a: "x", b: "y" });
    await waitUntil(() => verdicts.length >= 4, "four verdicts");
    expect(verdicts).toEqual([
      { type: "verdict", id: "m-good", verdict: "accept" },
      { type: "verdict", id: "m-stranger", verdict: "reject" },
      // Its body is no longer held: nothing to judge, nobody to blame.
      { type: "verdict", id: "m-gone", verdict: "ignore" },
      { type: "verdict", id: "p-junk", verdict: "reject" },
    ]);
  });
});

import { readAppState } from "../../boot";
import type { EngineContext } from "../../runtime";
import { sha256Hex, sha512Hex, UpgradeError } from "../../upgrade";
import { TRANSPORT } from "../names";
import { ROLLED_BACK, rollback } from "./applying";
import { isComplete, scheduleTick, verifyRelease } from "./fetching";
import { intake } from "./intake";
import { type OperatorCall, RELEASE_TOPIC } from "./messages";
import { runningApp, statusOf } from "./report";
import { unblock } from "./unblock";
import type { Release, UpgradeEngineState } from "./upgradeTypes";

/**
 * The control API's calls: status, publishing a release, applying, rolling back and
 * lifting a rollback.
 */
export async function operatorCall(
  state: UpgradeEngineState,
  ctx: EngineContext,
  m: OperatorCall,
): Promise<unknown> {
  switch (m.type) {
    case "status":
      return statusOf(state, safeAppState(state));
    case "publish": {
      const result = await intake(state, ctx, m.signed, "the local operator");
      if (result.outcome === "refused" || result.outcome === "equivocation") {
        throw new UpgradeError(
          { code: "UPGRADE_REFUSED", version: result.version ?? "?", reason: result.code as never },
          result.reason,
        );
      }
      return result;
    }
    case "storeArtifact":
      return storeArtifact(state, ctx, m);
    case "announce": {
      const release = known(state, m.version);
      const reply = (await ctx.call(
        { engine: TRANSPORT },
        { type: "publish", topic: RELEASE_TOPIC, body: { signed: release.text } },
      )) as { id: string };
      ctx.log.info("release announced", { version: m.version, gossip: reply.id });
      return { version: m.version, gossip: reply.id };
    }
    case "apply": {
      const release = m.version === undefined ? newest(state) : state.releases.get(m.version);
      if (release === undefined) {
        throw new UpgradeError(
          { code: "UPGRADE_UNKNOWN_RELEASE", version: m.version ?? "" },
          `Cannot apply ${m.version ?? "a release"}: this node has no such release pending`,
        );
      }
      if (release.status === "failed" && release.note === ROLLED_BACK) {
        throw new UpgradeError(
          { code: "UPGRADE_NOT_READY", version: release.version, reason: ROLLED_BACK },
          `Cannot apply ${release.version}: the operator rolled it back; lift that first with \`anode upgrade unblock ${release.version}\``,
        );
      }
      release.approved = true;
      if (release.status === "verified") ctx.info({ type: "decide", version: release.version });
      else scheduleTick(state, ctx, 0);
      return { version: release.version, status: release.status, approved: true };
    }
    case "rollback":
      return rollback(state, ctx);
    case "unblock":
      return unblock(state, ctx, m.version);
    case "running":
      return runningApp(state);
  }
}

function known(state: UpgradeEngineState, version: string): Release {
  const release = state.releases.get(version);
  if (release === undefined) {
    throw new UpgradeError(
      { code: "UPGRADE_UNKNOWN_RELEASE", version },
      `Cannot use release ${version}: this node has not accepted it (publish its manifest first)`,
    );
  }
  return release;
}

function newest(state: UpgradeEngineState): Release | undefined {
  return [...state.releases.values()]
    .filter((r) => r.status === "verified" || r.status === "fetching")
    .sort((a, b) => b.receivedAt - a.receivedAt)[0];
}

/**
 * The publisher's upload of an artifact's bytes: checked against the signed manifest
 * (size, SHA-512, every chunk's SHA-256) before one chunk is stored, so a node only
 * ever serves what the manifest vouches for.
 */
async function storeArtifact(
  state: UpgradeEngineState,
  ctx: EngineContext,
  m: Extract<OperatorCall, { type: "storeArtifact" }>,
) {
  const release = known(state, m.version);
  const artifact = release.signed.manifest.artifacts.find((a) => a.name === m.name);
  const mismatch = (reason: string) =>
    new UpgradeError(
      { code: "UPGRADE_ARTIFACT_MISMATCH", version: m.version, artifact: m.name, reason },
      `Cannot store ${m.name} for release ${m.version}: ${reason}`,
    );
  if (artifact === undefined) throw mismatch("the manifest lists no such artifact");
  if (m.bytes.byteLength !== artifact.size) {
    throw mismatch(`it is ${m.bytes.byteLength} bytes, the manifest says ${artifact.size}`);
  }
  if (sha512Hex(m.bytes) !== artifact.sha512) throw mismatch("its SHA-512 is not the manifest's");
  const held = release.held.get(artifact.name) ?? new Set<number>();
  release.held.set(artifact.name, held);
  for (let i = 0; i < artifact.chunks.length; i++) {
    const bytes = m.bytes.subarray(i * artifact.chunkSize, (i + 1) * artifact.chunkSize);
    if (sha256Hex(bytes) !== artifact.chunks[i]) throw mismatch(`chunk ${i} is not the manifest's`);
    if (!held.has(i)) await state.store.writeChunk(m.version, artifact.name, i, bytes);
    held.add(i);
  }
  release.sources.self = (release.sources.self ?? 0) + artifact.chunks.length;
  if (release.status === "fetching" && isComplete(release))
    await verifyRelease(state, ctx, release);
  return { version: m.version, artifact: artifact.name, chunks: artifact.chunks.length };
}

function safeAppState(state: UpgradeEngineState) {
  try {
    return readAppState(state.args.dataDir);
  } catch {
    return { bad: {} };
  }
}

import type { GossipVerdict } from "../../p2p";
import { manifestDigest } from "../../upgrade";
import {
  ManifestError,
  parseSignedManifest,
  type SignedManifest,
  type TrustedKeys,
  verifyManifest,
} from "../../verify";
import { gossipManifest } from "./intake";
import { EQUIVOCATION_TOPIC, RELEASE_TOPIC } from "./messages";

/**
 * Whether this node relays a message of an upgrade topic (the transport holds it until
 * told). Only what any node trusting these keys could check: shape, signatures, expiry.
 * What concerns this node alone (platform, channel, a version not newer, one already
 * known) is for intake to refuse; the release still travels, as other nodes may need it.
 *
 * A release must parse and verify; a proof of equivocation must hold two that verify,
 * for one version, with different digests. Anything else was forged or mangled by the
 * peer that sent it, since an honest node relays only what verified: "reject". With no
 * trusted keys nothing can be judged, so nothing is relayed and no peer blamed: "ignore".
 */
export function gossipVerdict(
  topic: string,
  body: unknown,
  o: { trust: TrustedKeys; now: number },
): GossipVerdict {
  if (o.trust.keys.length === 0) return "ignore";
  try {
    if (topic === RELEASE_TOPIC) {
      verified(gossipManifest(body), o);
      return "accept";
    }
    if (topic === EQUIVOCATION_TOPIC) {
      const { a, b } = (body ?? {}) as { a?: unknown; b?: unknown };
      const ma = verified(a, o);
      const mb = verified(b, o);
      const proves =
        ma.manifest.version === mb.manifest.version &&
        manifestDigest(ma.manifest) !== manifestDigest(mb.manifest);
      return proves ? "accept" : "reject";
    }
    return "ignore";
  } catch (err) {
    if (err instanceof ManifestError) return "reject";
    throw err;
  }
}

function verified(input: unknown, o: { trust: TrustedKeys; now: number }): SignedManifest {
  // Gossip carries the canonical text; a bare object is not what honest nodes send.
  if (typeof input !== "string") {
    throw new ManifestError(
      { code: "MANIFEST_INVALID", reason: "not a string" },
      "Cannot read the release manifest: gossip must carry its text",
    );
  }
  const signed = parseSignedManifest(input);
  verifyManifest(signed.manifest, signed.signatures, o.trust, { now: o.now });
  return signed;
}

import {
  type AppArtifact,
  ManifestError,
  parseSignedManifest,
  sha512Hex,
  type TrustedKeys,
  verifyManifest,
} from "../verify";
import { BootError } from "./bootError";
import { HOST_API_VERSION } from "./hostContract";

export interface VerifyAppBundleOptions {
  /** The version the bundle is installed under (its directory name). */
  version: string;
  trust: TrustedKeys;
}

export interface VerifiedAppBundle {
  artifact: AppArtifact;
  signers: string[];
}

/**
 * Checks an installed bundle against its signed manifest: k-of-n trusted signatures,
 * the manifest is for this version and this host contract, then size and SHA-512 of
 * the very bytes that will be evaluated. Throws a BootError saying why.
 *
 * Not expiry: a bundle is only ever installed after the upgrade engine accepted its
 * manifest while it was valid, and expiry stops a node from accepting a release, never
 * from running one it already accepted (TUF's rule: stale metadata stops updates, not
 * the installed software). Checking it here made every restart 90 days after a release
 * silently fall back to the embedded app.
 */
export function verifyAppBundle(
  manifestBytes: Uint8Array,
  bundle: Uint8Array,
  o: VerifyAppBundleOptions,
): VerifiedAppBundle {
  const { version } = o;
  let signers: string[];
  let artifact: AppArtifact | undefined;
  try {
    const signed = parseSignedManifest(manifestBytes);
    signers = verifyManifest(signed.manifest, signed.signatures, o.trust, {
      checkExpiry: false,
    }).signers;
    if (signed.manifest.version !== version) {
      throw new BootError(
        { code: "BOOT_WRONG_VERSION", version, manifestVersion: signed.manifest.version },
        `Cannot boot app bundle ${version}: its manifest is for version ${signed.manifest.version}`,
      );
    }
    artifact = signed.manifest.artifacts.find((a): a is AppArtifact => a.kind === "app");
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    throw new BootError(
      { code: "BOOT_MANIFEST_REFUSED", version, reason: err.message },
      `Cannot boot app bundle ${version}: ${lowerFirst(err.message.replace(/^Cannot [^:]*: /, ""))}`,
      { cause: err },
    );
  }
  if (artifact === undefined) {
    throw new BootError(
      { code: "BOOT_NO_APP_ARTIFACT", version },
      `Cannot boot app bundle ${version}: its manifest lists no app bundle`,
    );
  }
  if (artifact.hostApi !== HOST_API_VERSION) {
    throw new BootError(
      { code: "BOOT_HOST_API_MISMATCH", version, hostApi: artifact.hostApi },
      `Cannot boot app bundle ${version}: it needs host API ${artifact.hostApi}, this binary has ${HOST_API_VERSION}`,
    );
  }
  if (bundle.byteLength !== artifact.size) {
    throw new BootError(
      { code: "BOOT_SIZE_MISMATCH", version, size: bundle.byteLength, expected: artifact.size },
      `Cannot boot app bundle ${version}: it is ${bundle.byteLength} bytes, the signed manifest says ${artifact.size}`,
    );
  }
  if (sha512Hex(bundle) !== artifact.sha512) {
    throw new BootError(
      { code: "BOOT_HASH_MISMATCH", version },
      `Cannot boot app bundle ${version}: its SHA-512 does not match the signed manifest`,
    );
  }
  return { artifact, signers };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

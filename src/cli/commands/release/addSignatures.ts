import {
  MAX_SIGNATURES,
  type SignedManifest,
  type SigningKey,
  signManifest,
} from "../../../upgrade";
import { cliError } from "../../cliError";
import { EXIT } from "../../exitCodes";

/**
 * Co-signing for k-of-n: each key holder adds a signature over the same manifest body,
 * which is never rebuilt, so every signature covers the same bytes. A key that already
 * signed is refused rather than counted twice, and so is going over the signature limit
 * (a node would refuse the manifest).
 */
export function addSignatures(signed: SignedManifest, keys: readonly SigningKey[]): SignedManifest {
  const signatures = [...signed.signatures];
  for (const key of keys) {
    if (signatures.some((s) => s.keyId === key.id)) {
      throw cliError(
        EXIT.FAILURE,
        "CLI_ALREADY_SIGNED",
        `Cannot sign release ${signed.manifest.version}: key ${key.id} has signed it already`,
      );
    }
    signatures.push(signManifest(signed.manifest, key));
  }
  if (signatures.length > MAX_SIGNATURES) {
    throw cliError(
      EXIT.FAILURE,
      "CLI_TOO_MANY_SIGNATURES",
      `Cannot sign release ${signed.manifest.version}: ${signatures.length} signatures is over the limit of ${MAX_SIGNATURES}`,
    );
  }
  return { manifest: signed.manifest, signatures };
}

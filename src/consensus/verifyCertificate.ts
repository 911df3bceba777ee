import type { CommitCertificate } from "./certificate";
import type { ChainSpec } from "./chainSpec";
import { checkMessage } from "./checkMessage";
import { isQuorum } from "./quorum";
import { ed25519Verifier, type SignatureVerifier } from "./signatureVerifier";
import { signBytes } from "./signBytes";
import type { ValueId } from "./values";

export type CertificateFault =
  | "wrong-chain"
  | "wrong-height"
  | "wrong-value"
  | "malformed"
  | "mismatched-precommit"
  | "unknown-signer"
  | "duplicate-signer"
  | "bad-signature"
  | "insufficient-power";

export type CertificateVerdict =
  | { readonly ok: true; readonly power: number }
  | { readonly ok: false; readonly fault: CertificateFault; readonly signer?: string };

export interface CertificateExpectation {
  readonly chain: ChainSpec;
  /** The height the block is applied at. */
  readonly height: number;
  /** The id (hash) of the block the certificate should commit. */
  readonly valueId: ValueId;
  readonly verify?: SignatureVerifier;
}

/**
 * Checks that `certificate` commits `valueId` at `height` on the chain: every precommit
 * is well formed, for that chain, height, round and value, from a distinct validator,
 * correctly signed, and together they hold more than two thirds of the power. Strict: a
 * duplicate or foreign signer fails the whole certificate rather than being skipped, so
 * a stored certificate is always minimal in what it claims. Signatures are checked last.
 */
export function verifyCertificate(
  certificate: CommitCertificate,
  expected: CertificateExpectation,
): CertificateVerdict {
  const { chain } = expected;
  if (certificate.chainId !== chain.chainId) return { ok: false, fault: "wrong-chain" };
  if (certificate.height !== expected.height) return { ok: false, fault: "wrong-height" };
  if (certificate.valueId !== expected.valueId) return { ok: false, fault: "wrong-value" };
  if (
    !Array.isArray(certificate.precommits) ||
    certificate.precommits.length > chain.validators.validators.length
  ) {
    return { ok: false, fault: "malformed" };
  }
  const seen = new Set<string>();
  let power = 0;
  for (const signed of certificate.precommits) {
    const m = signed.message;
    if (!checkMessage(m) || m.type !== "precommit" || !(signed.signature instanceof Uint8Array)) {
      return { ok: false, fault: "malformed" };
    }
    if (
      m.chainId !== certificate.chainId ||
      m.height !== certificate.height ||
      m.round !== certificate.round ||
      m.valueId !== certificate.valueId
    ) {
      return { ok: false, fault: "mismatched-precommit", signer: m.voter };
    }
    const validator = chain.validators.byId.get(m.voter);
    if (validator === undefined) return { ok: false, fault: "unknown-signer", signer: m.voter };
    if (seen.has(m.voter)) return { ok: false, fault: "duplicate-signer", signer: m.voter };
    seen.add(m.voter);
    power += validator.power;
  }
  if (!isQuorum(power, chain.validators.totalPower)) {
    return { ok: false, fault: "insufficient-power" };
  }
  const verify = expected.verify ?? ed25519Verifier;
  for (const signed of certificate.precommits) {
    const validator = chain.validators.byId.get(signed.message.voter);
    if (
      validator === undefined ||
      !verify(validator.publicKey, signBytes(signed.message), signed.signature)
    ) {
      return { ok: false, fault: "bad-signature", signer: signed.message.voter };
    }
  }
  return { ok: true, power };
}

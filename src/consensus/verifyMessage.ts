import type { ChainSpec } from "./chainSpec";
import { checkMessage } from "./checkMessage";
import { type Signed, signerOf } from "./messages";
import { proposerOf } from "./proposerOf";
import { ed25519Verifier, type SignatureVerifier } from "./signatureVerifier";
import { signBytes } from "./signBytes";

export type MessageFault =
  | "malformed"
  | "wrong-chain"
  | "unknown-signer"
  | "not-proposer"
  | "bad-signature";

export type MessageVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly fault: MessageFault };

export interface VerifyOptions {
  readonly verify?: SignatureVerifier;
}

/**
 * Checks a signed message from the network before the engine feeds it to `step`: well
 * formed, for this chain, signed by a validator of the set, a proposal from the proposer
 * of its (height, round), and a valid signature over `signBytes`. Cheap checks run first
 * so junk costs no signature verification. Pure apart from the verifier.
 */
export function verifyMessage(
  signed: Signed,
  chain: ChainSpec,
  options: VerifyOptions = {},
): MessageVerdict {
  const message = signed.message;
  if (!checkMessage(message) || !(signed.signature instanceof Uint8Array)) {
    return { ok: false, fault: "malformed" };
  }
  if (message.chainId !== chain.chainId) return { ok: false, fault: "wrong-chain" };
  const signer = chain.validators.byId.get(signerOf(message));
  if (signer === undefined) return { ok: false, fault: "unknown-signer" };
  if (
    message.type === "proposal" &&
    proposerOf(chain.validators, message.height, message.round) !== message.proposer
  ) {
    return { ok: false, fault: "not-proposer" };
  }
  const verify = options.verify ?? ed25519Verifier;
  if (!verify(signer.publicKey, signBytes(message), signed.signature)) {
    return { ok: false, fault: "bad-signature" };
  }
  return { ok: true };
}

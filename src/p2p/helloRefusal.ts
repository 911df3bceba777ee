import type { CloseReasonKey } from "./closeCodes";
import { PROTOCOL_VERSION } from "./frameLimits";
import type { HelloFrame } from "./frameTypes";
import { nodeIdOf } from "./nodeIdOf";

export interface HelloExpectations {
  readonly networkId: string;
  readonly selfId: string;
  /** The id configured for the static peer this link dialed, if any. */
  readonly expectedId: string | undefined;
}

export interface Refusal {
  readonly key: CloseReasonKey;
  readonly detail?: string;
}

/** Why a peer's hello is refused, checked in this order; undefined when it is acceptable. */
export function helloRefusal(hello: HelloFrame, expect: HelloExpectations): Refusal | undefined {
  if (hello.network !== expect.networkId) return { key: "wrong_network" };
  if (hello.protocol !== PROTOCOL_VERSION) {
    return { key: "wrong_protocol", detail: `${hello.protocol}, expected ${PROTOCOL_VERSION}` };
  }
  if (hello.ephemeralKey === undefined) {
    return { key: "protocol_violation", detail: "hello without ephemeral key" };
  }
  if (nodeIdOf(hello.publicKey) !== hello.id) return { key: "bad_identity" };
  if (hello.id === expect.selfId) return { key: "self_connection" };
  if (expect.expectedId !== undefined && hello.id !== expect.expectedId) {
    return { key: "unexpected_peer" };
  }
  return undefined;
}

import type { NodeIdentity } from "./contract";
import type { AddressRecord } from "./frameTypes";
import { nodeIdOf } from "./nodeIdOf";
import { verifySignature } from "./verifySignature";

/** Domain separation: an address record's signature is never valid as anything else. */
export const ADDRESS_RECORD_TAG = "anode/p2p/address/v1";

function field(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** What a node signs to say where it listens: tag, network, its id, the address and the time. */
export function addressRecordPayload(
  network: string,
  record: Omit<AddressRecord, "signature" | "publicKey">,
): Uint8Array {
  const at = Buffer.alloc(8);
  at.writeBigUInt64BE(BigInt(record.at));
  return Buffer.concat([
    field(ADDRESS_RECORD_TAG),
    field(network),
    field(record.id),
    field(record.address),
    at,
  ]);
}

/** This node's own record for `address`, signed now. */
export function signAddressRecord(
  identity: NodeIdentity,
  network: string,
  address: string,
  at: number,
): AddressRecord {
  const unsigned = { id: identity.id, address, at };
  return {
    ...unsigned,
    publicKey: identity.publicKey,
    signature: identity.sign(addressRecordPayload(network, unsigned)),
  };
}

/** True when the record was signed by the node it names, for this network. */
export function verifyAddressRecord(record: AddressRecord, network: string): boolean {
  if (nodeIdOf(record.publicKey) !== record.id) return false;
  return verifySignature(record.publicKey, addressRecordPayload(network, record), record.signature);
}

/**
 * Hard limits of the wire format. Every frame is checked against its type's byte limit
 * before it is decoded, and every field against its own bound after, so a peer can never
 * make us allocate or walk more than these numbers allow.
 */

/**
 * Version of the p2p wire protocol; a peer presenting another one is refused. 2: hellos
 * carry an ephemeral X25519 key and every later frame is sealed (LinkCipher). 3: mesh
 * gossip's control frames (ctl) and peer exchange (pex), which a protocol 2 node would
 * close the link over.
 */
export const PROTOCOL_VERSION = 3;

export const MAX_HELLO_BYTES = 1024;
export const MAX_AUTH_BYTES = 128;
export const MAX_PING_BYTES = 64;
/** Point-to-point engine messages: large enough for a transaction batch or a chunk. */
export const MAX_DIRECT_BYTES = 1024 * 1024;
/** Every gossip message reaches every node, so its cost is multiplied by the network size. */
export const MAX_GOSSIP_BYTES = 256 * 1024;
/** Mesh control: ids and topic names only. */
export const MAX_CONTROL_BYTES = 64 * 1024;
/** Peer exchange: MAX_PEX_RECORDS address records. */
export const MAX_PEX_BYTES = 16 * 1024;
/** The largest frame of any type; the transport refuses bigger ones before we see them. */
export const MAX_FRAME_BYTES = Math.max(
  MAX_HELLO_BYTES,
  MAX_AUTH_BYTES,
  MAX_PING_BYTES,
  MAX_DIRECT_BYTES,
  MAX_GOSSIP_BYTES,
  MAX_CONTROL_BYTES,
  MAX_PEX_BYTES,
);
/** The Poly1305 tag at the end of every sealed frame. */
export const SEAL_TAG_BYTES = 16;
/** A sealed frame is its plaintext frame plus the SEALED_TAG byte and the Poly1305 tag. */
export const SEAL_OVERHEAD_BYTES = 1 + SEAL_TAG_BYTES;
/** The largest message on the wire, sealed: what transports accept (ws maxPayload). */
export const MAX_WIRE_BYTES = MAX_FRAME_BYTES + SEAL_OVERHEAD_BYTES;

export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const CHALLENGE_BYTES = 32;
/** An X25519 public key, and the secret an ephemeral key pair is made from. */
export const EPHEMERAL_KEY_BYTES = 32;
export const MESSAGE_ID_BYTES = 16;
/** Node ids are the hex of 20 bytes of sha256(public key). */
export const NODE_ID_HEX_LENGTH = 40;

export const MAX_NETWORK_ID_LENGTH = 64;
export const MAX_VERSION_LENGTH = 64;
export const MAX_ADDRESS_LENGTH = 256;
export const MAX_ENGINE_NAME_LENGTH = 128;
export const MAX_TOPIC_LENGTH = 128;
export const MAX_ERROR_CODE_LENGTH = 64;
export const MAX_ERROR_MESSAGE_LENGTH = 1024;
/** Nesting bound of message bodies, so validating a body cannot exhaust the stack. */
export const MAX_BODY_DEPTH = 32;
/** Hop counts above this are invalid on the wire, whatever a node's own hop limit. */
export const MAX_HOP_LIMIT = 64;
/** Ids in one control frame's IHAVEs together, and in its IWANT (GossipSub's max_ihave_length). */
export const MAX_CONTROL_IDS = 1000;
/** Topics named in one control frame, per part. */
export const MAX_CONTROL_TOPICS = 64;
/** Address records in one pex frame. */
export const MAX_PEX_RECORDS = 32;
/** Websocket close reasons are limited to 123 bytes by RFC 6455. */
export const MAX_CLOSE_REASON_BYTES = 123;

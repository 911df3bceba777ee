// The p2p layer's public surface: nothing outside src/p2p imports any other file here.
export { AUTH_DOMAIN_TAG, type AuthContext, authPayload } from "./authPayload";
export { type BackoffOptions, backoffDelay, defaultBackoffOptions } from "./backoffDelay";
export {
  CLOSE_REASONS,
  type CloseReasonKey,
  WS_ABNORMAL_CLOSURE,
  WS_MESSAGE_TOO_BIG,
} from "./closeCodes";
export type {
  Clock,
  DirectMessage,
  GossipMeta,
  GossipVerdict,
  NodeIdentity,
  P2PEvents,
  PeerConfig,
  PeerInfo,
  Rejection,
  Rng,
} from "./contract";
export { decodeFrame } from "./decodeFrame";
export { encodeFrame } from "./encodeFrame";
export { frameLimitOf } from "./frameLimitOf";
export * from "./frameLimits";
export {
  type AddressRecord,
  type AuthFrame,
  type ControlFrame,
  FRAME_TAGS,
  type Frame,
  type FrameType,
  type GossipFrame,
  type HelloFrame,
  type IHave,
  type MsgFrame,
  type PexFrame,
  type PingFrame,
  type PongFrame,
  SEALED_TAG,
} from "./frameTypes";
export { generateIdentity } from "./generateIdentity";
export { gossipId } from "./gossipId";
export { type HelloExpectations, helloRefusal, type Refusal } from "./helloRefusal";
export { type ConnectionCandidate, keepConnection } from "./keepConnection";
export { LinkCipher } from "./linkCipher";
export {
  deriveLinkKeys,
  type EphemeralKey,
  ephemeralKey,
  LINK_TRANSCRIPT_TAG,
  type LinkKeyInput,
  type LinkKeys,
} from "./linkKeys";
export {
  type LoadIdentityOptions,
  loadOrCreateIdentity,
  NODE_KEY_FILE,
} from "./loadOrCreateIdentity";
export {
  defaultLinkOptions,
  type LinkOptions,
  MemoryNetwork,
  type MemoryNetworkOptions,
  type MemoryNetworkStats,
  type Partition,
  type TraceEvent,
} from "./memoryNetwork";
export { nodeIdOf } from "./nodeIdOf";
export { P2PError, type P2PErrorCode, type P2PErrorType } from "./p2pError";
export { type P2PDeps, P2PNode } from "./p2pNode";
export * from "./p2pOptions";
export { emptyStats, type P2PStats } from "./p2pStats";
export { parseAddress } from "./parseAddress";
export { PendingValidations, type PendingValidationsOptions } from "./pendingValidations";
export { type SeededRng, seededRng } from "./seededRng";
export { SeenCache, type SeenCacheOptions } from "./seenCache";
export { systemClock } from "./systemClock";
export { systemRng } from "./systemRng";
export { TokenBucket } from "./tokenBucket";
export type { Connection, ConnectionHandlers, Listener, Transport } from "./transport";
export { verifySignature } from "./verifySignature";
export { type RunOptions, type RunResult, type ScopedClock, VirtualClock } from "./virtualClock";
export { WsTransport, type WsTransportOptions } from "./wsTransport";

import { NodeError } from "../errors";

/** Every error the p2p layer raises on purpose; branch on `code`, never on the message. */
export type P2PErrorType =
  | { code: "P2P_FRAME_TOO_LARGE"; frameType: string; size: number; limit: number }
  | { code: "P2P_FRAME_MALFORMED" }
  | { code: "P2P_FRAME_INVALID"; frameType: string }
  | { code: "P2P_FRAME_UNKNOWN_TYPE"; tag: number }
  | { code: "P2P_KEY_INVALID"; path: string }
  | { code: "P2P_ADDRESS_INVALID"; address: string }
  | { code: "P2P_LISTEN_FAILED"; address: string }
  | { code: "P2P_NOT_RUNNING" }
  | { code: "P2P_PEER_NOT_DIRECT"; peer: string }
  | { code: "P2P_PEER_CONGESTED"; peer: string }
  | { code: "P2P_INVALID_ARGUMENT"; argument: string };

export type P2PErrorCode = P2PErrorType["code"];

export class P2PError extends NodeError<P2PErrorType> {}

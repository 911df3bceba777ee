/**
 * The pluggable transport, shaped like the browser WebSocket API: synchronous calls and
 * events, no promises on the data path, so the in-memory network can drive it from a
 * virtual clock and a run replays exactly from its seed. Both implementations (ws and
 * memory) pass the same compliance suite.
 */

export interface ConnectionHandlers {
  /** A dialed connection is open; accepted connections are open when handed over. */
  onOpen?(): void;
  onMessage?(data: Uint8Array): void;
  /**
   * Fires exactly once per connection, on both sides: with the code and reason the side
   * that closed gave, or 1006 when the connection failed or dropped (including a dial to
   * an address where nothing listens).
   */
  onClose?(code: number, reason: string): void;
}

export interface Connection {
  /** "host:port" of the far end. */
  readonly remoteAddress: string;
  /** Bytes handed to send() that have not yet left this process. */
  readonly bufferedAmount: number;
  /** Sends one binary message; silently dropped unless the connection is open. */
  send(data: Uint8Array): void;
  /** Starts the closing handshake; `code` is one ws accepts (1000, 1001, 3000-4999...), `reason` at most 123 bytes. */
  close(code: number, reason: string): void;
  /** Set synchronously in the dial call's or onConnection's turn; events before are not lost. */
  setHandlers(handlers: ConnectionHandlers): void;
}

export interface Listener {
  /** The bound "host:port" (the real port when asked for port 0). */
  readonly address: string;
  /** Stops accepting; existing connections are left to their owner. */
  close(): Promise<void>;
}

export interface Transport {
  listen(address: string, onConnection: (connection: Connection) => void): Promise<Listener>;
  /** Returns at once; the connection opens (onOpen) or fails (onClose 1006) later. */
  dial(address: string): Connection;
}

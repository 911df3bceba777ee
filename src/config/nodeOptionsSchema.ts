import { LOG_FORMATS, LOG_LEVELS } from "../logging";
import { consensusOptionsSchema } from "./consensusOptionsSchema";
import { upgradeOptionsSchema } from "./upgradeOptionsSchema";

/**
 * The subset of JSON Schema the options use. Kept to standard keywords so the same object
 * compiles in conf's strict Ajv as well as in ours.
 */
export interface SchemaNode {
  readonly type: "object" | "array" | "string" | "integer" | "number" | "boolean";
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: false;
  readonly required?: readonly string[];
  readonly items?: SchemaNode;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
}

export const MAX_PORT = 65_535;
export const MAX_PEERS = 10_000;
export const MAX_PATH_LENGTH = 4096;

const octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const port =
  "(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})";

export const LOOPBACK_HOST_PATTERN = `^(?:127(?:\\.${octet}){3}|::1)$`;
/** Loopback, or a private IPv4 address (10/8, 172.16/12, 192.168/16): see api.privateNetwork. */
export const API_HOST_PATTERN = `^(?:127(?:\\.${octet}){3}|::1|10(?:\\.${octet}){3}|172\\.(?:1[6-9]|2[0-9]|3[01])(?:\\.${octet}){2}|192\\.168(?:\\.${octet}){2})$`;
export const HOST_PORT_PATTERN = `^(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):${port}$`;
export const NETWORK_ID_PATTERN = "^[a-z0-9-]*$";

/** Validators report a pattern as a regex; operators should read what it means instead. */
export const patternHints: Readonly<Record<string, string>> = {
  [LOOPBACK_HOST_PATTERN]: "a loopback address (127.0.0.0/8 or ::1)",
  [API_HOST_PATTERN]:
    "a loopback address (127.0.0.0/8 or ::1), or a private IPv4 address with api.privateNetwork",
  [HOST_PORT_PATTERN]: "host:port, e.g. 127.0.0.1:7711",
  [NETWORK_ID_PATTERN]: "lowercase letters, digits and '-'",
};

const hostPort = { type: "string", pattern: HOST_PORT_PATTERN, maxLength: 300 } as const;

/**
 * The config file's schema. Nothing is required, because a file (like every other layer)
 * names only what it overrides; defaults live in `defaultNodeOptions`, not here, so a
 * validator never writes them into the file.
 */
export const nodeOptionsSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    dataDir: {
      type: "string",
      minLength: 1,
      maxLength: MAX_PATH_LENGTH,
      description: "Directory for the node's state, identity key and API token",
    },
    api: {
      type: "object",
      additionalProperties: false,
      properties: {
        port: {
          type: "integer",
          minimum: 1,
          maximum: MAX_PORT,
          description: "TCP port of the local control API",
        },
        host: {
          type: "string",
          pattern: API_HOST_PATTERN,
          description:
            "Address the control API binds to: loopback (127.0.0.0/8 or ::1), or a private IPv4 address if api.privateNetwork is true",
        },
        privateNetwork: {
          type: "boolean",
          description:
            "Let api.host be a private IPv4 address (10/8, 172.16/12, 192.168/16): anyone on that network who holds the token controls the node",
        },
      },
    },
    log: {
      type: "object",
      additionalProperties: false,
      properties: {
        level: {
          type: "string",
          enum: LOG_LEVELS,
          description: "Lowest level written to the log",
        },
        format: {
          type: "string",
          enum: LOG_FORMATS,
          description: "Log format; auto is pretty on a TTY and JSON lines otherwise",
        },
      },
    },
    node: {
      type: "object",
      additionalProperties: false,
      properties: {
        blockIntervalMs: {
          type: "integer",
          minimum: 1,
          maximum: 60_000,
          description: "Milliseconds between blocks",
        },
        maxBlockTxs: {
          type: "integer",
          minimum: 1,
          maximum: 100_000,
          description: "Most transactions in one block",
        },
        networkId: {
          type: "string",
          minLength: 1,
          maxLength: 64,
          pattern: NETWORK_ID_PATTERN,
          description: "Network this node belongs to; peers on another network are refused",
        },
      },
    },
    mempool: {
      type: "object",
      additionalProperties: false,
      properties: {
        maxTxBytes: {
          type: "integer",
          minimum: 1,
          maximum: 16 * 1024 * 1024,
          description: "Largest accepted transaction, in bytes",
        },
        maxPending: {
          type: "integer",
          minimum: 1,
          maximum: 10_000_000,
          description: "Most transactions waiting in the mempool",
        },
      },
    },
    executor: {
      type: "object",
      additionalProperties: false,
      properties: {
        workers: {
          type: "integer",
          minimum: 1,
          maximum: 64,
          description: "Transactions executed in parallel",
        },
      },
    },
    p2p: {
      type: "object",
      additionalProperties: false,
      properties: {
        listen: { ...hostPort, description: "Address the p2p transport listens on" },
        peers: {
          type: "array",
          maxItems: MAX_PEERS,
          description: "Static peers, as JSON: [{ address, id? }]",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["address"],
            properties: {
              address: hostPort,
              id: { type: "string", minLength: 1, maxLength: 256 },
            },
          },
        },
        pex: {
          type: "boolean",
          description:
            "Peer exchange: learn more peers from connected ones (addresses signed by their nodes) and dial them",
        },
        targetOutboundPeers: {
          type: "integer",
          minimum: 0,
          maximum: 256,
          description:
            "Outbound connections peer exchange dials up to (static peers count); 0 dials none",
        },
        maxAddressBook: {
          type: "integer",
          minimum: 0,
          maximum: 100_000,
          description: "Peer addresses learned by peer exchange that the node keeps",
        },
        gossip: {
          type: "string",
          enum: ["mesh", "flood"],
          description:
            "Pubsub protocol: mesh (GossipSub-style mesh with lazy announcements) or flood (every message to every peer)",
        },
        meshDegree: {
          type: "integer",
          minimum: 1,
          maximum: 64,
          description: "Mesh gossip: peers per topic mesh (D)",
        },
        meshDegreeLow: {
          type: "integer",
          minimum: 1,
          maximum: 64,
          description:
            "Mesh gossip: below this many mesh peers a topic grafts more (D_low, at most D)",
        },
        meshDegreeHigh: {
          type: "integer",
          minimum: 1,
          maximum: 128,
          description:
            "Mesh gossip: above this many mesh peers a topic prunes some (D_high, at least D)",
        },
      },
    },
    upgrade: upgradeOptionsSchema,
    consensus: consensusOptionsSchema,
  },
} as const satisfies SchemaNode;

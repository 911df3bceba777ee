import { UPGRADE_CHANNELS, UPGRADE_POLICIES } from "./upgradeOptions";

/** The `upgrade.*` part of the config file's schema. */
export const upgradeOptionsSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    policy: {
      type: "string",
      enum: UPGRADE_POLICIES,
      description:
        "auto: fetch and apply releases; notify: fetch, then wait for `upgrade apply`; manual: wait",
    },
    channel: {
      type: "string",
      enum: UPGRADE_CHANNELS,
      description: "Release channel followed (beta also takes stable releases)",
    },
    uploadBytesPerSecond: {
      type: "integer",
      minimum: 16 * 1024,
      maximum: 10 * 1024 * 1024 * 1024,
      description: "Upload rate limit for serving release chunks to peers, bytes per second",
    },
    maxParallelFetches: {
      type: "integer",
      minimum: 1,
      maximum: 64,
      description: "Chunk requests in flight at once while downloading a release",
    },
    rolloutWindowMs: {
      type: "integer",
      minimum: 0,
      maximum: 30 * 24 * 3600 * 1000,
      description:
        "Staged rollout: each node applies within this window after a release's creation",
    },
    healthWindowMs: {
      type: "integer",
      minimum: 0,
      maximum: 24 * 3600 * 1000,
      description: "How long a new release must stay healthy before it is made permanent",
    },
    trustedKeys: {
      type: "object",
      description:
        'Replaces the compiled-in release keys (private networks), as JSON: { "threshold": 1, "keys": [{ "id", "publicKey" }] }',
    },
  },
} as const;

const MAX_CHAINS = 16;
const MAX_VALIDATORS = 256;
const ms = (min: number, max: number, description: string) =>
  ({ type: "integer", minimum: min, maximum: max, description }) as const;

/** The `consensus.*` part of the config file's schema. */
export const consensusOptionsSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    chains: {
      type: "array",
      maxItems: MAX_CHAINS,
      description:
        "Chains to follow, as JSON: [{ chainId, validators: [{ id, publicKey (base64), power }] }]",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["chainId", "validators"],
        properties: {
          chainId: { type: "string", pattern: "^[a-z0-9][a-z0-9._-]{0,63}$" },
          validators: {
            type: "array",
            minItems: 1,
            maxItems: MAX_VALIDATORS,
            items: {
              type: "object",
              additionalProperties: false,
              required: ["id", "publicKey", "power"],
              properties: {
                id: { type: "string", pattern: "^[0-9a-f]{40}$" },
                publicKey: { type: "string", pattern: "^[A-Za-z0-9+/]{43}=$" },
                power: { type: "integer", minimum: 1, maximum: 1_000_000 },
              },
            },
          },
        },
      },
    },
    proposeTimeoutMs: ms(10, 600_000, "Round-0 propose timeout"),
    voteTimeoutMs: ms(10, 600_000, "Round-0 prevote and precommit timeouts"),
    timeoutDeltaMs: ms(0, 600_000, "How much longer each later round's timeouts are"),
    emptyBlockIntervalMs: ms(
      0,
      3_600_000,
      "With no transactions, propose an empty block this often",
    ),
    gossipMessages: {
      type: "boolean",
      description:
        "Also gossip each signed consensus message once, for peers on versions without the vote sync",
    },
  },
} as const;

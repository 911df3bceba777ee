/**
 * Bounds on consensus messages and on what the core keeps per height. Each is applied
 * where a message is checked, so a Byzantine validator cannot make an honest node store
 * or hash more than these numbers allow.
 */

/** Chain ids are short names ("anode-main", "payments-2"). */
export const MAX_CHAIN_ID_BYTES = 64;
/** Validator ids are node ids (40 hex characters); the slack admits other id schemes. */
export const MAX_VALIDATOR_ID_BYTES = 128;
/** Value ids are hashes in hex or base64; 128 bytes fits sha512 in hex. */
export const MAX_VALUE_ID_BYTES = 128;
/** Rounds are encoded as 32-bit unsigned integers in the signing bytes. */
export const MAX_ROUND = 0xffff_fffe;
/** Validator sets larger than this are refused: every vote tally walks the whole set. */
export const MAX_VALIDATORS = 1024;
/** Sum of powers stays where `3 * power` is still an exact integer in a double. */
export const MAX_TOTAL_POWER = Math.floor(Number.MAX_SAFE_INTEGER / 3);
/**
 * Messages for rounds further ahead of our round are dropped. Honest validators reach a
 * round only through 2f+1 precommits of the one before or through a round skip, so
 * honest rounds do not drift this far apart; the bound stops a Byzantine validator from
 * filling memory with votes for rounds nobody will reach.
 */
export const MAX_ROUND_AHEAD = 256;
/**
 * Distinct proposals kept per round. The first drives our prevote; the others are kept
 * only so a value that 2f+1 precommitted can still be decided when an equivocating
 * proposer showed us another one first. Past this, the engine's catch-up supplies it.
 */
export const MAX_PROPOSALS_PER_ROUND = 4;
/**
 * Distinct votes kept per validator per (round, type). One for an honest validator; an
 * equivocator's further ones are kept (up to this) because another honest node may have
 * counted exactly that one, and liveness needs our tallies to converge with theirs.
 */
export const MAX_VOTES_PER_VALIDATOR = 4;

import type { ValidatorSet } from "./validatorSet";

/**
 * The proposer of (height, round): round-robin over the validators sorted by id, at index
 * (height + round) mod n. Power does not weight the rotation (it weighs only in votes):
 * the issue asks for round-robin, and it makes every validator's turn easy to predict.
 * Adding the height shifts the first proposer of each height, so a crashed validator
 * costs at most one round per n heights.
 */
export function proposerOf(validators: ValidatorSet, height: number, round: number): string {
  const list = validators.validators;
  const index = (height + round) % list.length;
  return (list[index] as (typeof list)[number]).id;
}

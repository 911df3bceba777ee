/**
 * Byzantine thresholds on voting power. With f the power of faulty validators and
 * total > 3f, "2f+1" generalises to more than two thirds of the total and "f+1" to more
 * than one third. Integer arithmetic, exact while 3 × total is a safe integer.
 */

/** More than two thirds of `total`: any two such sets share an honest validator. */
export function isQuorum(power: number, total: number): boolean {
  return 3 * power > 2 * total;
}

/** More than one third of `total`: such a set holds at least one honest validator. */
export function exceedsOneThird(power: number, total: number): boolean {
  return 3 * power > total;
}

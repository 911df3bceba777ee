import { TxError } from "../../../src/tx";

/** The TxError `fn` throws; anything else, or nothing, fails the test. */
export function txErrorOf(fn: () => unknown): TxError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TxError) return err;
    throw err;
  }
  throw new Error("expected a TxError, but nothing was thrown");
}

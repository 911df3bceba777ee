import { bumpVersions, copySourceTree, editSource, type SourceEdit } from "./sourceTree";

/**
 * The modules that parse, order or execute transactions: a release that adds an op
 * must change all of them (each at a new version, so the planner swaps it).
 */
const TX_MODULES = [
  "src/engines/consensus/consensusEngine.ts",
  "src/engines/executor/executorEngine.ts",
  "src/engines/executor/workerEngine.ts",
  "src/engines/mempool/mempoolEngine.ts",
  "src/engines/ordering/orderingEngine.ts",
  "src/engines/storage/storageEngine.ts",
];

/**
 * A source change as a developer would make it: a new kv op, `append`, which reads a
 * string key and writes it with `value` appended (absent counts as ""). Today's code
 * refuses it as an unknown op; code built from this tree commits it.
 */
export const APPEND_OP: readonly SourceEdit[] = [
  {
    file: "src/tx/parseOp.ts",
    find: `  cas: { allowed: ["op", "key", "expect", "value"], required: ["op", "key", "expect", "value"] },`,
    replace: `  cas: { allowed: ["op", "key", "expect", "value"], required: ["op", "key", "expect", "value"] },
  append: { allowed: ["op", "key", "value"], required: ["op", "key", "value"] },`,
  },
  {
    file: "src/tx/parseOp.ts",
    find: `'must be "put", "delete", "increment" or "cas"'`,
    replace: `'must be "put", "delete", "increment", "cas" or "append"'`,
  },
  {
    file: "src/tx/parseOp.ts",
    find: `    case "delete":
      return { op: name, key };`,
    replace: `    case "append":
      return { op: name, key, value: parseValue(fields.value, fieldPath(path, "value")) } as KvOp;
    case "delete":
      return { op: name, key };`,
  },
  {
    file: "src/tx/parseTx.ts",
    find: `(op.op === "increment" || op.op === "cas")`,
    replace: `(op.op === "increment" || op.op === "cas" || (op.op as string) === "append")`,
  },
  {
    file: "src/tx/canonicalTx.ts",
    find: `    case "delete":
      return { key: op.key, op: "delete" };`,
    replace: `    case "delete":
      return { key: op.key, op: "delete" };
    case "append":
      return { key: op.key, op: "append", value: (op as { value: string }).value } as unknown as KvOp;`,
  },
  {
    file: "src/tx/executeKv.ts",
    find: `    case "delete":
      return { value: undefined };`,
    replace: `    case "delete":
      return { value: undefined };
    case "append": {
      const found = current(op.key) ?? "";
      const more = (op as { value: unknown }).value;
      if (typeof found !== "string" || typeof more !== "string")
        return \`Cannot append to \${JSON.stringify(op.key)}: both must be strings\`;
      return { value: found + more };
    }`,
  },
];

/** A copy of this checkout in `dir` with the append op added. */
export function appendOpTree(dir: string): string {
  const tree = copySourceTree(dir);
  editSource(tree, APPEND_OP);
  bumpVersions(tree, TX_MODULES, "append");
  return tree;
}

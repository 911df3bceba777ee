import { Ajv2020, type ValidateFunction } from "ajv/dist/2020";
import standaloneCode from "ajv/dist/standalone";
import { nodeOptionsSchema } from "./nodeOptionsSchema";

// The schema is ours and fixed, so it is not checked against the JSON Schema meta-schema
// here (compiling the meta-schema was two thirds of every command's start-up); a unit
// test does that check instead.
const OPTIONS = { allErrors: true, strict: true, validateSchema: false, meta: false } as const;

/**
 * The validator of the node's options. From source (tests) ajv compiles the schema here,
 * about 30 ms. In the app bundle this module is replaced by the validator ajv generated
 * at build time from the same schema and options (build/lib/optionsValidator.mjs), so
 * no command compiles a schema at start-up.
 */
export function compileOptionsValidator(): ValidateFunction {
  return new Ajv2020(OPTIONS).compile(nodeOptionsSchema);
}

/** The standalone source of that validator, an ES module, for the build. */
export function optionsValidatorSource(): string {
  const ajv = new Ajv2020({ ...OPTIONS, code: { source: true, esm: true } });
  return standaloneCode(ajv, ajv.compile(nodeOptionsSchema));
}

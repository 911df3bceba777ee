// The frame tests need the public surface plus the shared error helper.
export { hasCode } from "../../../src/errors";
export * from "../../../src/p2p";

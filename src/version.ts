// The version stamp lives in boot (the binary reports its own). The file, not boot's
// index, so that reading the version does not load all of boot.
export { VERSION } from "./boot/version";

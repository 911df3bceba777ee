// Atomic writes are boot's (its app state must survive a crash mid-write). The file, not
// boot's index, so that a write does not load all of boot.
export { writeFileAtomic } from "../boot/writeFileAtomic";

// Atomic writes are boot's (its app state must survive a crash mid-write); re-exported.
export { writeFileAtomic } from "../boot";

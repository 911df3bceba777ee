export { writeFileAtomic } from "./writeFileAtomic";

// Writes docs/message-map.md from the sources: `node build/message-map.mjs`.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { messageMap } from "./lib/messageMap.mjs";

const root = resolve(import.meta.dirname, "..");
writeFileSync(resolve(root, "docs/message-map.md"), messageMap(root));
console.log("wrote docs/message-map.md");

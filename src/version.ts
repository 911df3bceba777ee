// The version stamp lives in boot (the binary reports its own); re-exported for the app.
export { VERSION } from "./boot";

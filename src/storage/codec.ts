import { Packr } from "msgpackr";

/**
 * One MessagePack codec for everything storage writes: plain maps come back as objects
 * and binary as bytes, with no record extension, so the bytes stay readable by any
 * MessagePack implementation.
 */
export const packr = new Packr({ useRecords: false, mapsAsObjects: true });

import { Packr, Unpackr } from "msgpackr";

// Records (msgpackr's structure extension) carry state from one frame to the next; the
// wire format is plain MessagePack, so they are off on both sides.
export const packr = new Packr({ useRecords: false });
export const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

import { Packr } from "msgpackr";

/**
 * Transaction ids are hashes of these bytes, so every option that could change them is
 * pinned here rather than left to library defaults: no record extension, maps sized to
 * their content, floats always 64-bit. Plain maps decode as objects and binary as bytes.
 */
export const txPackr = new Packr({
  useRecords: false,
  mapsAsObjects: true,
  variableMapSize: true,
  useFloat32: 0,
});

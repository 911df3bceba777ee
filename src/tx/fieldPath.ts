/** Paths read like the JavaScript that would reach the field: `ops[2].value.$bytes`. */
export function fieldPath(parent: string, field: string | number): string {
  if (typeof field === "number") return `${parent}[${field}]`;
  return parent === "" ? field : `${parent}.${field}`;
}

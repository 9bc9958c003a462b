/** A YAML mapping once it is plain JS. */
export type Dict = Record<string, unknown>;

/** True for a mapping (not null, not a list). */
export const isDict = (value: unknown): value is Dict =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// One test for "a JSON object" (a mapping: not null, not an array), used wherever parsed input is read —
// report bodies and records, cluster objects, snapshots, the store's snapshot file.

/** True for a non-null object that is not an array: what JSON calls an object. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

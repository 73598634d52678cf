/** What a validation error shows as "found": the value at a field path of the input, shortened. */

export function valueAt(input: unknown, keys: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const key of keys) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export const FOUND_MAX_CHARS = 60;

export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > FOUND_MAX_CHARS ? `${text.slice(0, FOUND_MAX_CHARS - 3)}...` : text;
}

/**
 * Checks that a value survives Temporal's JSON payload converter unchanged, and if not, says where.
 * Pure; used before an interrupt payload or a resume value is recorded.
 */

/** Returns `undefined` when the value is plain JSON, else a description like `$.items[2].when: a Date`. */
export function findNonJsonValue(value: unknown, path = '$', seen: Set<object> = new Set()): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path}: ${value} (not representable in JSON)`;
    case 'undefined':
      return path === '$' ? undefined : `${path}: undefined (dropped by JSON)`;
    case 'bigint':
      return `${path}: a BigInt`;
    case 'function':
      return `${path}: a function`;
    case 'symbol':
      return `${path}: a symbol`;
  }
  if (value === null) return undefined;
  const object = value as object;
  if (seen.has(object)) return `${path}: a circular reference`;
  const proto = Object.getPrototypeOf(object);
  if (!Array.isArray(object) && proto !== Object.prototype && proto !== null) {
    const name = (object as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    return `${path}: ${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name} instance (only plain objects and arrays survive)`;
  }
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        const found = findNonJsonValue(object[i], `${path}[${i}]`, seen);
        if (found) return found;
      }
      return undefined;
    }
    for (const [key, child] of Object.entries(object)) {
      const childPath = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      const found = findNonJsonValue(child, childPath, seen);
      if (found) return found;
    }
    return undefined;
  } finally {
    seen.delete(object);
  }
}

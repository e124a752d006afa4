/**
 * Checks that a value survives Temporal's JSON payload converter unchanged, and if not, says where.
 * Pure; used before an interrupt payload or a resume value is recorded.
 */

/**
 * Returns `undefined` when the value is plain JSON, else a description like `$.items[2].when: a Date`.
 * An object property whose value is `undefined` is accepted: it travels as an absent key (LangGraph keeps the key;
 * strip it with {@link dropUndefinedProperties} so every reader sees the same value).
 */
export function findNonJsonValue(value: unknown, path = '$', seen: Set<object> = new Set()): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path}: ${value} (not representable in JSON)`;
    case 'undefined':
      // An object property set to undefined travels as an absent key (see dropUndefinedProperties); in an array
      // JSON would turn it into null, which is a different value.
      return undefined;
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
        if (object[i] === undefined) return `${path}[${i}]: undefined (null in JSON)`;
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

/**
 * A copy of a JSON value (one {@link findNonJsonValue} accepts) without its `undefined` object properties, so
 * what the caller gets now and what is read back from history later are equal. Returns `value` itself when
 * there is nothing to drop.
 */
export function dropUndefinedProperties<T>(value: T): T {
  return dropFrom(value, new Set());
}

/**
 * Walks arrays and plain objects only, and stops at a cycle: anything else comes back as it is, for
 * {@link findNonJsonValue} to name (a class instance, a circular reference).
 */
function dropFrom<T>(value: T, ancestors: Set<object>): T {
  if (typeof value !== 'object' || value === null || ancestors.has(value)) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      let changed = false;
      const items = value.map((item: unknown) => {
        const next = dropFrom(item, ancestors);
        if (next !== item) changed = true;
        return next;
      });
      return (changed ? items : value) as T;
    }
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) {
        changed = true;
        continue;
      }
      const next = dropFrom(child, ancestors);
      if (next !== child) changed = true;
      out[key] = next;
    }
    return (changed ? out : value) as T;
  } finally {
    ancestors.delete(value);
  }
}

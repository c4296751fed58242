// Field paths of statement issues: `actor.mbox`, `object.definition.choices[2].id`,
// `result.extensions["https://example.org/ext"]`. The empty path is the statement itself.

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The path of `key` inside the value at `base`: `.key`, `[index]` or `["odd key"]`. */
export function childPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (IDENTIFIER.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

// A segment is an array index only where `root` holds an array at that point, so an
// object key "0" stays a key.
/** The field path of a JSON pointer (RFC 6901, as ajv's `instancePath`) into `root`. */
export function pointerToPath(pointer: string, root: unknown): string {
  if (pointer === '') return '';
  let path = '';
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) {
      path = childPath(path, Number(key));
      node = node[Number(key)];
    } else {
      path = childPath(path, key);
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return path;
}

/** The value at a JSON pointer into `root`, or undefined where the path does not exist. */
export function valueAt(pointer: string, root: unknown): unknown {
  if (pointer === '') return root;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    if (typeof node !== 'object' || node === null) return undefined;
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * `fn` with its results remembered for the last `size` distinct arguments (the memory
 * starts afresh when full). For pure functions that imports call with the same values
 * over and over: IRI checks, learners' pseudonyms.
 * @example const isIri = remembered((v: string) => IRI.test(v), 10_000);
 */
export function remembered<T>(fn: (key: string) => T, size: number): (key: string) => T {
  let results = new Map<string, T>();
  return (key) => {
    let result = results.get(key);
    if (result === undefined) {
      result = fn(key);
      if (results.size >= size) results = new Map();
      results.set(key, result);
    }
    return result;
  };
}

/**
 * A stand-in for an object whose whole value can be replaced (the admin API's fixture reload
 * swaps the data for every route at once). Built from the first value's own members, so a new
 * query on the store needs nothing here: each method is forwarded to the current value, and each
 * other member read from it.
 */
export type Swappable<T extends object> = T & {
  /** From now on every call goes to `next`. */
  replace(next: T): void
}

export function swappable<T extends object>(initial: T): Swappable<T> {
  // Own members only: a class instance would keep its methods on the prototype.
  if (Object.getPrototypeOf(initial) !== Object.prototype) {
    throw new Error('swappable: give a plain object (its methods are found among its own members)')
  }
  let current = initial
  const holder = {
    replace(next: T) {
      current = next
    },
  } as Swappable<T>
  for (const key of Object.keys(initial) as (keyof T & string)[]) {
    if (key === 'replace') throw new Error('swappable: the value already has a member named replace')
    if (typeof initial[key] === 'function') {
      Object.defineProperty(holder, key, {
        value: (...args: unknown[]) => (current[key] as (...args: unknown[]) => unknown).apply(current, args),
        enumerable: true,
      })
    } else {
      Object.defineProperty(holder, key, { get: () => current[key], enumerable: true })
    }
  }
  return holder
}

/** A TypeError that names the bad option, the expected kind of value, and what was given. */
export function invalidOption(option: string, expected: string, value: unknown): TypeError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'function' ? 'a function' : String(value)
  return new TypeError(`EventSource: option "${option}" must be ${expected}, got ${shown}`)
}

/** Whether `value` is a usable duration: a finite number of milliseconds, 0 or more. */
export function isMs(value: unknown): value is number {
  // Number.isFinite is false for anything that is not a number: no typeof check needed.
  return Number.isFinite(value) && (value as number) >= 0
}

/** Whether `value` is a count: a whole number of at least `min`, or Infinity for no limit. */
export function isCount(value: unknown, min: number): value is number {
  return value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && (value as number) >= min)
}

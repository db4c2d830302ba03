/** A TypeError that names the bad option, the expected kind of value, and what was given. */
export function invalidOption(option: string, expected: string, value: unknown): TypeError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'function' ? 'a function' : String(value)
  return new TypeError(`EventSource: option "${option}" must be ${expected}, got ${shown}`)
}

/** Whether `value` is a usable duration: a finite number of milliseconds, 0 or more. */
export function isMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

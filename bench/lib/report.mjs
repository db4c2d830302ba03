// Markdown helpers and the checks every benchmark applies to what an implementation received.

/** A Markdown table. */
export function table(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n')
}

/** A number with thousands separators and `digits` decimals. */
export function num(value, digits = 0) {
  if (!Number.isFinite(value)) return 'n/a'
  return value.toLocaleString('en-US', {minimumFractionDigits: digits, maximumFractionDigits: digits})
}

/** "median (min–max)" of a summary. */
export function spread(summary, digits = 0) {
  return `${num(summary.median, digits)} (${num(summary.min, digits)}–${num(summary.max, digits)})`
}

/** A ratio such as "1.63×". */
export function ratio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a'
}

/**
 * What is wrong with a run, or undefined when the implementation received exactly the expected events.
 * @param {{events: number, lastId: string, dataChars: number}} got
 * @param {{events: number, lastId: string, dataChars: number}} expected
 * @param {boolean} checkData - false for the line-scanning floor on corpora with multi-line data
 */
export function mismatch(got, expected, checkData = true) {
  const problems = []
  if (got.events !== expected.events) problems.push(`${got.events} events instead of ${expected.events}`)
  if (got.lastId !== expected.lastId) problems.push(`last id ${JSON.stringify(got.lastId)} instead of ${JSON.stringify(expected.lastId)}`)
  if (checkData && got.dataChars !== expected.dataChars) problems.push(`${got.dataChars} data characters instead of ${expected.dataChars}`)
  return problems.length ? problems.join(', ') : undefined
}

/** A target line for RESULTS.md. */
export function target(name, pass, detail) {
  return {name, pass, detail}
}

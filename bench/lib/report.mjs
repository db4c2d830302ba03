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

/**
 * A target line for RESULTS.md. `pass` is true, false, or null for a figure reported but not
 * targeted. `value` (optional) is the ratio the verdict rests on, so that the runner can quote the
 * weakest of several runs: the lowest when `higherIsBetter`, else the highest.
 * @param {string} name
 * @param {boolean | null} pass
 * @param {string} detail
 * @param {{value?: number, higherIsBetter?: boolean}} [measure]
 */
export function target(name, pass, detail, {value, higherIsBetter = true} = {}) {
  return {name, pass, detail, value, higherIsBetter}
}

/** "pass", "**miss**" or "not targeted", for the targets table. */
export function verdict(pass) {
  if (pass === null) return 'not targeted'
  return pass ? 'pass' : '**miss**'
}

/**
 * The targets of several runs of the same benchmarks, one line per target: the weakest run's
 * figure, passing only when every run passed, with every run's figure beside it.
 * @param {Array<Array<ReturnType<typeof target>>>} runs
 */
export function weakestOf(runs) {
  if (runs.length === 1) return runs[0]
  const byName = new Map()
  for (const targets of runs) for (const t of targets) byName.set(t.name, [...(byName.get(t.name) ?? []), t])
  return [...byName.values()].map((all) => {
    const sign = all[0].higherIsBetter ? 1 : -1
    const measured = all.filter((t) => Number.isFinite(t.value))
    const weakest = measured.length ? measured.reduce((a, b) => (sign * b.value < sign * a.value ? b : a)) : all.find((t) => t.pass === false) ?? all[0]
    const pass = all.some((t) => t.pass === null) ? null : all.every((t) => t.pass)
    const each = measured.length ? `; per run ${all.map((t) => ratio(t.value)).join(', ')}` : ''
    return {...weakest, pass, detail: `weakest of ${all.length} runs: ${weakest.detail}${each}`}
  })
}

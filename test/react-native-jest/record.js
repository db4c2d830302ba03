// Writes what a case found for one implementation to the results folder scripts/react-native.mjs
// reads for the side-by-side table (nothing when the suite runs without it).
import {writeFileSync} from 'node:fs'

/**
 * Records the problems `implementation` showed in a case (an empty list: it got it right).
 * @param {{order: number, name: string, right: string}} testCase - the case, and its place in the table
 */
export function record({order, name, right}, implementation, problems) {
  const dir = process.env.RN_RESULTS_DIR
  if (!dir) return
  const file = `${dir}${implementation}--${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.json`
  writeFileSync(file, JSON.stringify({order, name, implementation, right, problems}))
}

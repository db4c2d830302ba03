// Small statistics for benchmark figures.

/** The p-th percentile (nearest rank) of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

/**
 * Median, min and max of repeated measurements.
 * @param {number[]} values
 * @returns {{median: number, min: number, max: number, n: number}}
 */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  return {median, min: sorted[0], max: sorted.at(-1), n: sorted.length}
}

// The side-by-side table of docs/react-native.md, made from the records the conformance cases
// write (test/react-native-jest/record.js): one row per case, what the standard asks, and for each
// implementation "yes" or what it got wrong.

const escape = (text) => text.replaceAll('|', '\\|').replaceAll('\n', ' ')

/**
 * @param {{name: string, implementation: string, right: string, problems: string[]}[]} records
 * @param {Record<string, string>} versions - the installed packages' versions
 */
export function formatTable(records, versions) {
  const implementations = ['eventsource-kit', 'react-native-sse']
  const names = [...new Set(records.toSorted((a, b) => a.order - b.order).map((entry) => entry.name))]
  const header = `| case (what the standard asks) | ${implementations.map((name) => (versions[name] ? `${name} ${versions[name]}` : name)).join(' | ')} |`
  const rows = names.map((name) => {
    const cells = implementations.map((implementation) => {
      const entry = records.find((candidate) => candidate.name === name && candidate.implementation === implementation)
      if (!entry) return 'n/a'
      return entry.problems.length === 0 ? 'yes' : `no: ${escape(entry.problems.join('; '))}`
    })
    const right = records.find((entry) => entry.name === name)?.right
    return `| ${escape(name)}${right ? ` (${escape(right)})` : ''} | ${cells.join(' | ')} |`
  })
  return [header, `|---|${implementations.map(() => '---').join('|')}|`, ...rows].join('\n')
}

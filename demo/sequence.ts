// Checks that sequence numbers arrive one by one: counts the ones skipped (gaps) and the ones seen twice.

/** Counts gaps and duplicates in a stream of sequence numbers. */
export class SequenceCheck {
  /** The last sequence number seen, or undefined before the first. */
  last: number | undefined
  /** How many sequence numbers were skipped. */
  gaps = 0
  /** How many arrived that were not after the last one (a repeat or out of order). */
  duplicates = 0
  /** How many arrived in all. */
  received = 0

  /** Records `seq`. */
  see(seq: number): void {
    this.received += 1
    if (this.last !== undefined) {
      if (seq <= this.last) {
        this.duplicates += 1
        return
      }
      this.gaps += seq - this.last - 1
    }
    this.last = seq
  }
}

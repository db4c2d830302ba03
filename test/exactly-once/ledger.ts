import type {LoggedEvent} from './event-log.js'

/** What a client received of a log, counted. */
export interface DeliveryCounts {
  /** Events in the log. */
  readonly expected: number
  /** Events received, duplicates included. */
  readonly delivered: number
  /** Events of the log never received. */
  readonly lost: number
  /** Receptions of an event already received. */
  readonly duplicated: number
  /** Receptions that did not follow the previous one in log order. */
  readonly outOfOrder: number
  /** Receptions whose type, data or lastEventId differ from the log's, or whose id is not in it. */
  readonly corrupted: number
}

/** Counts every reception of a logged event: delivered, lost, duplicated, out of order, corrupted. */
export class DeliveryLedger {
  readonly #log: readonly LoggedEvent[]
  readonly #indexOfId: Map<string, number>
  readonly #timesReceived: number[]
  #delivered = 0
  #outOfOrder = 0
  #corrupted = 0
  #lastIndex = -1

  constructor(log: readonly LoggedEvent[]) {
    this.#log = log
    this.#indexOfId = new Map(log.map((event, index) => [event.id, index]))
    this.#timesReceived = log.map(() => 0)
  }

  /** Records one MessageEvent as the page saw it. */
  receive(type: string, data: string, lastEventId: string): void {
    this.#delivered++
    const index = this.#indexOfId.get(lastEventId)
    const logged = index === undefined ? undefined : this.#log[index]
    if (index === undefined || logged === undefined || logged.type !== type || logged.data !== data) {
      this.#corrupted++
      return
    }
    if (index !== this.#lastIndex + 1) this.#outOfOrder++
    this.#lastIndex = index
    this.#timesReceived[index] = (this.#timesReceived[index] ?? 0) + 1
  }

  /** Whether the last event of the log has arrived. */
  get hasLast(): boolean {
    return (this.#timesReceived.at(-1) ?? 0) > 0
  }

  counts(): DeliveryCounts {
    const received = this.#timesReceived.filter((times) => times > 0).length
    const duplicated = this.#timesReceived.reduce((sum, times) => sum + Math.max(0, times - 1), 0)
    return {expected: this.#log.length, delivered: this.#delivered, lost: this.#log.length - received, duplicated, outOfOrder: this.#outOfOrder, corrupted: this.#corrupted}
  }
}

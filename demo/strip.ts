// The sequence strip: the last sequence numbers received, with a marker where the source reconnected
// and which Last-Event-ID it resumed after, so a visitor sees the numbers continue without a gap.
import {element} from './dom.js'

/** Shows the last `max` items: sequence numbers and reconnection markers. */
export class SequenceStrip {
  readonly #strip: HTMLElement
  readonly #max: number

  constructor(strip: HTMLElement, max = 36) {
    this.#strip = strip
    this.#max = max
  }

  /** Adds a received sequence number. */
  seq(seq: number): void {
    const chip = element('span', 'chip', String(seq))
    chip.dataset.seq = String(seq)
    this.#add(chip)
  }

  /** Adds a marker: the source reopened, sending `lastEventId`. */
  resumed(lastEventId: string): void {
    const marker = element('span', 'chip chip-resume', `↻ Last-Event-ID: ${lastEventId || '(none)'}`)
    marker.dataset.resume = lastEventId
    this.#add(marker)
  }

  #add(item: HTMLElement): void {
    this.#strip.append(item)
    while (this.#strip.childElementCount > this.#max) this.#strip.firstElementChild?.remove()
  }
}

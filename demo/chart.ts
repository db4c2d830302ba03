// A live line chart on a canvas: it scrolls with the server's clock every animation frame, so new
// samples slide in smoothly, and its value axis eases toward the range of what is on screen.
import type {Tick} from './feed.js'

const PAD = {left: 56, right: 16, top: 14, bottom: 28}
const COLORS = {line: '#4f46e5', fillTop: 'rgba(79, 70, 229, 0.22)', fillBottom: 'rgba(79, 70, 229, 0)', grid: '#e5e7eb', text: '#6b7280'}
/** Candidate distances between time grid lines, and the least room a clock label needs. */
const TIME_STEPS_MS = [10_000, 15_000, 20_000, 30_000, 60_000]
const MIN_LABEL_GAP_PX = 72
/** Time constant of the value-axis easing, in ms. */
const EASE_MS = 250

/** 1, 2, 2.5 or 5 times a power of ten: a step that gives about `count` grid lines over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * power >= raw) ?? 10
  return step * power
}

const clock = new Intl.DateTimeFormat('en-GB', {hour: '2-digit', minute: '2-digit', second: '2-digit'})
const axisNumber = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0})

/** Draws the last `windowMs` of samples, lagging one sample interval so the newest one slides in. */
export class LiveChart {
  readonly #canvas: HTMLCanvasElement
  readonly #context: CanvasRenderingContext2D
  readonly #windowMs: number
  #points: Tick[] = []
  /** Server clock minus ours, from the freshest sample seen (replayed ones arrive late, so take the maximum). */
  #clockOffsetMs = Number.NEGATIVE_INFINITY
  #range: {min: number; max: number} | undefined
  /** Distance between value grid lines, from the range the axis eases toward (so labels do not jump). */
  #valueStep = 1
  #frame = 0
  #lastFrameAt = 0

  constructor(canvas: HTMLCanvasElement, {windowMs}: {windowMs: number}) {
    const context = canvas.getContext('2d')
    if (!context) throw new Error('no 2D canvas context')
    this.#canvas = canvas
    this.#context = context
    this.#windowMs = windowMs
  }

  /** Adds a sample; samples at or before the newest one are ignored. */
  add(tick: Tick): void {
    const newest = this.#points.at(-1)
    if (newest && tick.seq <= newest.seq) return
    this.#points.push(tick)
    this.#clockOffsetMs = Math.max(this.#clockOffsetMs, tick.time - Date.now())
    const oldest = tick.time - 2 * this.#windowMs
    if ((this.#points[0]?.time ?? oldest) < oldest) this.#points = this.#points.filter((point) => point.time >= oldest)
  }

  /** Starts redrawing on every animation frame. */
  start(): void {
    const draw = (now: number): void => {
      this.#draw(now - this.#lastFrameAt)
      this.#lastFrameAt = now
      this.#frame = requestAnimationFrame(draw)
    }
    this.#frame = requestAnimationFrame(draw)
  }

  /** Stops redrawing. */
  stop(): void {
    cancelAnimationFrame(this.#frame)
  }

  /** The interval between the two newest samples, or 500 ms before there are two. */
  #intervalMs(): number {
    const [before, last] = this.#points.slice(-2)
    return before && last ? last.time - before.time : 500
  }

  #resize(): {width: number; height: number} {
    const ratio = globalThis.devicePixelRatio || 1
    const width = this.#canvas.clientWidth
    const height = this.#canvas.clientHeight
    if (this.#canvas.width !== Math.round(width * ratio) || this.#canvas.height !== Math.round(height * ratio)) {
      this.#canvas.width = Math.round(width * ratio)
      this.#canvas.height = Math.round(height * ratio)
    }
    this.#context.setTransform(ratio, 0, 0, ratio, 0, 0)
    return {width, height}
  }

  /** Eases the value axis toward the nice range around the visible samples. */
  #updateRange(visible: Tick[], elapsedMs: number): {min: number; max: number} | undefined {
    if (visible.length === 0) return this.#range
    const values = visible.map((point) => point.value)
    const low = Math.min(...values)
    const high = Math.max(...values)
    const margin = Math.max((high - low) * 0.15, 1)
    const step = niceStep(high - low + 2 * margin, 4)
    this.#valueStep = step
    const target = {min: Math.floor((low - margin) / step) * step, max: Math.ceil((high + margin) / step) * step}
    if (!this.#range) return (this.#range = target)
    const k = 1 - Math.exp(-Math.min(elapsedMs, 1000) / EASE_MS)
    this.#range = {min: this.#range.min + (target.min - this.#range.min) * k, max: this.#range.max + (target.max - this.#range.max) * k}
    return this.#range
  }

  #draw(elapsedMs: number): void {
    const {width, height} = this.#resize()
    const context = this.#context
    context.clearRect(0, 0, width, height)
    const plot = {x: PAD.left, y: PAD.top, w: width - PAD.left - PAD.right, h: height - PAD.top - PAD.bottom}
    if (plot.w <= 0 || plot.h <= 0 || !Number.isFinite(this.#clockOffsetMs)) return

    const right = Date.now() + this.#clockOffsetMs - this.#intervalMs()
    const left = right - this.#windowMs
    const firstVisible = Math.max(0, this.#points.findIndex((point) => point.time >= left) - 1)
    const visible = this.#points.slice(firstVisible)
    const range = this.#updateRange(visible.filter((point) => point.time >= left && point.time <= right), elapsedMs)
    if (!range) return
    const x = (time: number): number => plot.x + ((time - left) / this.#windowMs) * plot.w
    const y = (value: number): number => plot.y + plot.h - ((value - range.min) / (range.max - range.min)) * plot.h

    context.font = '11px system-ui, sans-serif'
    context.lineWidth = 1
    // Value grid and labels.
    const valueStep = this.#valueStep
    context.textAlign = 'right'
    context.textBaseline = 'middle'
    const lowest = Math.ceil((range.min - valueStep * 1e-6) / valueStep) * valueStep
    for (let line = 0, value = lowest; line < 50 && value <= range.max + valueStep * 1e-6; line += 1, value = lowest + line * valueStep) {
      const lineY = Math.round(y(value)) + 0.5
      context.strokeStyle = COLORS.grid
      context.beginPath()
      context.moveTo(plot.x, lineY)
      context.lineTo(plot.x + plot.w, lineY)
      context.stroke()
      context.fillStyle = COLORS.text
      context.fillText(axisNumber.format(value), plot.x - 8, lineY)
    }
    // Time grid every 10 s of server time (more on narrow screens), labelled with the clock; it scrolls with the data.
    const timeStep = TIME_STEPS_MS.find((step) => (step / this.#windowMs) * plot.w >= MIN_LABEL_GAP_PX) ?? this.#windowMs
    context.textAlign = 'center'
    context.textBaseline = 'top'
    for (let time = Math.ceil(left / timeStep) * timeStep; time <= right; time += timeStep) {
      const lineX = Math.round(x(time)) + 0.5
      context.strokeStyle = COLORS.grid
      context.beginPath()
      context.moveTo(lineX, plot.y)
      context.lineTo(lineX, plot.y + plot.h)
      context.stroke()
      // A label is drawn only while it fits on the canvas, so labels never show cut off at the edges.
      const label = clock.format(time)
      const half = context.measureText(label).width / 2
      if (lineX - half < 0 || lineX + half > width) continue
      context.fillStyle = COLORS.text
      context.fillText(label, lineX, plot.y + plot.h + 8)
    }

    context.save()
    context.beginPath()
    context.rect(plot.x, plot.y, plot.w, plot.h)
    context.clip()
    this.#drawLine(visible, x, y, plot)
    context.restore()
    this.#drawHead(visible, right, x, y)
  }

  #drawLine(points: Tick[], x: (time: number) => number, y: (value: number) => number, plot: {y: number; h: number}): void {
    const context = this.#context
    const first = points[0]
    const last = points.at(-1)
    if (!first || !last) return
    const trace = (): void => {
      context.beginPath()
      context.moveTo(x(first.time), y(first.value))
      for (const point of points) context.lineTo(x(point.time), y(point.value))
    }
    // Area under the line.
    trace()
    context.lineTo(x(last.time), plot.y + plot.h)
    context.lineTo(x(first.time), plot.y + plot.h)
    context.closePath()
    const gradient = context.createLinearGradient(0, plot.y, 0, plot.y + plot.h)
    gradient.addColorStop(0, COLORS.fillTop)
    gradient.addColorStop(1, COLORS.fillBottom)
    context.fillStyle = gradient
    context.fill()
    // The line and a dot on the newest sample.
    trace()
    context.strokeStyle = COLORS.line
    context.lineWidth = 2
    context.lineJoin = 'round'
    context.stroke()
  }

  /** A dot where the line meets the right edge (or on the newest sample, when the stream is behind). */
  #drawHead(points: Tick[], right: number, x: (time: number) => number, y: (value: number) => number): void {
    const after = points.findIndex((point) => point.time >= right)
    const before = points[after - 1]
    const next = points[after]
    let head: {time: number; value: number} | undefined = points.at(-1)
    if (before && next) {
      const share = (right - before.time) / (next.time - before.time)
      head = {time: right, value: before.value + (next.value - before.value) * share}
    }
    if (!head) return
    const context = this.#context
    context.beginPath()
    context.arc(x(head.time), y(head.value), 7, 0, 2 * Math.PI)
    context.fillStyle = COLORS.fillTop
    context.fill()
    context.beginPath()
    context.arc(x(head.time), y(head.value), 3.5, 0, 2 * Math.PI)
    context.fillStyle = COLORS.line
    context.fill()
  }
}

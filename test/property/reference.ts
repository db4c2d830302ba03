// A reference for the tests: the WHATWG HTML "Interpreting an event stream" algorithm, transcribed
// step by step, for a whole stream at once. It is written to be obviously right, not fast: no
// streaming, no limits, no shortcuts. The property tests compare eventsource-kit against it.
// https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation

/** One event as a page sees it. */
export interface TranscriptEvent {
  readonly type: string
  readonly data: string
  readonly lastEventId: string
}

/** What one connection's stream does to the page: the events in order and the state it leaves. */
export interface Transcript {
  readonly events: readonly TranscriptEvent[]
  /** The EventSource's last event ID string when the stream has ended. */
  readonly lastEventId: string
  /** The event stream's reconnection time when the stream has ended (not clamped). */
  readonly reconnectionTime: number
}

const LF = '\n'
const CR = '\r'
const NULL = '\u0000'
const BOM = '\uFEFF'

/** Splits decoded text into its lines; text after the last line ending is not a line and is dropped. */
export function splitLines(text: string): string[] {
  // "end-of-line = ( cr lf / cr / lf )"
  const lines: string[] = []
  let line = ''
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char === CR) {
      lines.push(line)
      line = ''
      if (text[i + 1] === LF) i++
    } else if (char === LF) {
      lines.push(line)
      line = ''
    } else {
      line += char
    }
  }
  // "If the file ends in the middle of an event, before the final empty line, the incomplete event
  // is not dispatched": an unterminated last line is never processed.
  return lines
}

/**
 * Interprets one complete event stream (the body of one connection) as the spec says.
 * @param reconnectionTime the reconnection time before the stream starts
 */
export function interpretEventStream(bytes: Uint8Array, reconnectionTime = 3000): Transcript {
  const events: TranscriptEvent[] = []
  // "Streams must be decoded using the UTF-8 decode algorithm."
  let text = new TextDecoder('utf-8', {ignoreBOM: true}).decode(bytes)
  // "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
  if (text.startsWith(BOM)) text = text.slice(1)

  // "When a stream is parsed, a data buffer, an event type buffer, and a last event ID buffer must
  // be associated with it. They must be initialized to the empty string."
  let dataBuffer = ''
  let eventTypeBuffer = ''
  let lastEventIdBuffer = ''
  // The EventSource's "last event ID string" (empty for a new source).
  let lastEventId = ''

  const dispatch = (): void => {
    // 1. "Set the last event ID string of the event source to the value of the last event ID buffer."
    lastEventId = lastEventIdBuffer
    // 2. "If the data buffer is an empty string, set the data buffer and the event type buffer to
    // the empty string and return."
    if (dataBuffer === '') {
      eventTypeBuffer = ''
      return
    }
    // 3. "If the data buffer's last character is a U+000A LINE FEED (LF) character, then remove the
    // last character from the data buffer."
    if (dataBuffer.endsWith(LF)) dataBuffer = dataBuffer.slice(0, -1)
    // 4.-6. type "message" unless the event type buffer has a value; data; the last event ID string.
    events.push({type: eventTypeBuffer === '' ? 'message' : eventTypeBuffer, data: dataBuffer, lastEventId})
    // 7. "Set the data buffer and the event type buffer to the empty string."
    dataBuffer = ''
    eventTypeBuffer = ''
  }

  const processField = (field: string, value: string): void => {
    switch (field) {
      case 'event':
        // "Set the event type buffer to the field value."
        eventTypeBuffer = value
        break
      case 'data':
        // "Append the field value to the data buffer, then append a single U+000A LINE FEED (LF)
        // character to the data buffer."
        dataBuffer += value + LF
        break
      case 'id':
        // "If the field value does not contain U+0000 NULL, then set the last event ID buffer to the
        // field value. Otherwise, ignore the field."
        if (!value.includes(NULL)) lastEventIdBuffer = value
        break
      case 'retry':
        // "If the field value consists of only ASCII digits, then interpret the field value as an
        // integer in base ten, and set the event stream's reconnection time to that integer.
        // Otherwise, ignore the field."
        if (/^[0-9]+$/.test(value)) reconnectionTime = Number(value)
        break
      default:
      // "Otherwise: The field is ignored."
    }
  }

  for (const line of splitLines(text)) {
    if (line === '') {
      // "If the line is empty (a blank line): Dispatch the event."
      dispatch()
    } else if (line.startsWith(':')) {
      // "If the line starts with a U+003A COLON character (:): Ignore the line."
    } else if (line.includes(':')) {
      // "If the line contains a U+003A COLON character (:): Collect the characters on the line before
      // the first U+003A COLON character (:), and let field be that string. Collect the characters
      // on the line after the first U+003A COLON character (:), and let value be that string. If
      // value starts with a U+0020 SPACE character, remove it from value."
      const colon = line.indexOf(':')
      let value = line.slice(colon + 1)
      if (value.startsWith(' ')) value = value.slice(1)
      processField(line.slice(0, colon), value)
    } else {
      // "Otherwise, the string is not empty but does not contain a U+003A COLON character (:): Process
      // the field using the whole line as the field name, and the empty string as the field value."
      processField(line, '')
    }
  }
  // "Once the end of the file is reached, any pending data must be discarded."
  return {events, lastEventId, reconnectionTime}
}

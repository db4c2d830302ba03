// The e2e scenario table: one entry per route `/sse/<name>/<step>?id=<run id>`.
//
// An entry is `{cors?, reply(ctx)}`. `reply` returns what the server answers (see respond.mjs):
//   {status = 200, type = 'text/event-stream' (null: no Content-Type), headers, body: string | chunks,
//    hold: keep the stream open until the client goes away, holdHeaders: answer nothing until then,
//    breakAfterMs: break the connection this long after the body, without ending the response}
// `ctx` = {attempt (1 for the first request of this run id to this step), step, server ('main' or
// 'cross'), lastEventId (the Last-Event-ID header, decoded as UTF-8, or null), method, body, headers,
// url(step, server): the absolute URL of another step of the same scenario and run}.
// `cors` answers cross-origin requests and preflights: 'anonymous' (ACAO: the request's Origin),
// 'credentials' (and ACAC: true), 'wildcard' (ACAO: *), 'no-preflight' (like 'anonymous', but a
// preflight gets no CORS headers), 'wrong-origin' (ACAO: another origin), 'empty' (ACAO: empty);
// none: no CORS headers at all.

import {Buffer} from 'node:buffer'

/** A stream that ends after `body` (the client then reconnects). */
const ended = (body, extra = {}) => ({body, ...extra})
/** A stream that stays open after `body` until the client closes it. */
const held = (body, extra = {}) => ({body, hold: true, ...extra})
/** The end marker the transcripts stop on. */
const END = 'data: end\n\n'
/** First attempt `first`, every later one `later`. */
const attempts = (first, later) => (ctx) => (ctx.attempt === 1 ? first(ctx) : later(ctx))

/** A redirect of `status` from step `start` to step `target` on `server`; `target` streams `body` then ends, later held. */
function redirect(status, server) {
  return {
    cors: 'anonymous',
    reply: (ctx) => {
      if (ctx.step === 'start') return {status, type: null, headers: {Location: ctx.url('target', server)}}
      return ctx.attempt === 1 ? ended(`retry: 20\nid: r1\ndata: at ${ctx.step} on ${ctx.server}\n\n`) : held(END)
    },
  }
}

/** A failure answer (status, type, body) for every attempt. */
const failure = (status, type = 'text/plain', body = 'nope') => ({reply: () => ({status, type, body})})

/** The bytes a client sent in header `name`, as hex (`(none)` without one). */
const hexOf = (ctx, name) => Buffer.from(ctx.headers[name] ?? '', 'latin1').toString('hex') || '(none)'

/** Sets the last event ID `id`, ends; the reconnection's event reports the Last-Event-ID bytes it got, as hex. */
const echoesIdBytes = (id) => ({
  reply: attempts(() => ended(`retry: 20\nid: ${id}\ndata: a\n\n`), (ctx) => held(`data: got ${hexOf(ctx, 'last-event-id')}\n\n${END}`)),
})

/** A working stream with Content-Type `type`. */
const typed = (type) => ({reply: () => held(`data: typed\n\n${END}`, {type})})

export const scenarios = {
  // --- parsing ---------------------------------------------------------------------------------
  // A leading BOM is skipped once; a BOM anywhere else is part of the field name.
  bom: {reply: () => held(`\uFEFFdata: first\n\n\uFEFFdata: not a data field\n\ndata: last\n\n${END}`)},
  // CR, LF and CRLF end lines, in any mix; a CRLF split across chunks is one line ending.
  'line-endings': {
    reply: () =>
      held([
        'data: cr\r\rdata: lf\n\ndata: crlf\r\n\r\n',
        'data: mixed 1\rdata: mixed 2\ndata: mixed 3\r\n\n',
        'data: split\r',
        '\ndata: crlf\r',
        '\n\r',
        `\n${END}`,
      ]),
  },
  // Only one space after the colon is removed.
  'leading-space': {reply: () => held(`data:none\n\ndata: one\n\ndata:  two\n\ndata:\ttab\n\ndata: trailing \n\n${END}`)},
  // Empty data lines add an empty line; an event without data is not dispatched.
  'empty-data': {reply: () => held(`data\n\ndata:\n\ndata:\ndata:\n\nevent: nodata\n\nid: 9\n\ndata: x\ndata\n\n${END}`)},
  // Several data lines join with LF; NUL and other controls in data are kept.
  'multi-line': {reply: () => held(`data: a\ndata: b\ndata: c\n\ndata: a\ndata:\ndata: c\n\ndata: nul\u0000inside\n\n${END}`)},
  // Comments (a line starting with a colon) are ignored anywhere.
  comments: {reply: () => held(`:comment\n: another\ndata: x\n:\ndata: y\n\n:\n\n${END}`)},
  // Unknown fields, and fields whose names differ by case or a space, are ignored.
  'unknown-fields': {reply: () => held(`foo: bar\nDATA: upper\nData: title\ndata : spaced\ndata: yes\nfoo\n\n${END}`)},
  // A line without a colon is a field with an empty value.
  'no-colon': {reply: () => held(`data\ndata\ndata\n\nid: 4\nevent: named\nevent\ndata: type reset\n\nid\ndata: id reset\n\n${END}`)},
  // `event:` sets the type of the next dispatch only; empty means "message"; any name works, `error` too.
  'event-names': {
    reply: () =>
      held(
        'event: tick\ndata: 1\n\nevent:tick\ndata: 2\n\nevent: \ndata: 3\n\nevent: message\ndata: 4\n\n' +
          'event: my event\ndata: 5\n\nevent: tick\n\ndata: 6\n\nevent: error\ndata: 7\n\nevent: open\ndata: 8\n\n' +
          END,
      ),
  },
  // Bytes are UTF-8: a character split across chunks is decoded whole; invalid bytes become U+FFFD.
  utf8: {
    reply: () =>
      held([
        Buffer.from('data: caf\xC3', 'latin1'),
        Buffer.from('\xA9 \xF0\x9F', 'latin1'),
        Buffer.from('\x99\x82\n\n', 'latin1'),
        Buffer.from('data: bad \xFF \xC3(\n\n', 'latin1'),
        END,
      ]),
  },
  // A stream ending in the middle of an event drops that event, and the id it had set is not the
  // last event ID string: the reconnection sends none.
  'trailing-incomplete': {
    reply: attempts(
      () => ended('retry: 20\ndata: complete\n\nid: 77\ndata: incomplete\n'),
      (ctx) => held(`data: back with ${ctx.lastEventId ?? '(none)'}\n\n${END}`),
    ),
  },

  // A new stream starts with empty data and event type buffers: nothing of an event cut off by the
  // end of the previous stream leaks into the next one.
  'buffers-reset': {
    reply: attempts(() => ended('retry: 20\nevent: stale\ndata: partial\n'), () => held(`data: fresh\n\n${END}`)),
  },
  // Every stream is UTF-8, whatever charset its Content-Type names (utf8 is a label of UTF-8, too).
  'charset-latin1': {reply: () => held(`data: café\n\n${END}`, {type: 'text/event-stream; charset=iso-8859-1'})},
  'charset-utf8-label': {reply: () => held(`data: café\n\n${END}`, {type: 'text/event-stream; charset=utf8'})},
  // Each stream is decoded on its own: a BOM at the start of a reconnection's stream is skipped too.
  'bom-reconnect': {reply: attempts(() => ended('\uFEFFretry: 20\ndata: one\n\n'), () => held(`\uFEFFdata: two\n\n${END}`))},

  // --- ids and reconnection --------------------------------------------------------------------
  // `id` sets lastEventId for this and later events, even without data; NUL ignores the field;
  // an empty `id` resets it; the reconnection sends the last one as Last-Event-ID (UTF-8).
  ids: {
    reply: attempts(
      () =>
        ended(
          'retry: 20\nid: 1\ndata: a\n\ndata: b\n\nid: 2\n\ndata: c\n\nid: 3\u0000x\ndata: nul ignored\n\n' +
            'id\ndata: reset\n\nid: 4\nid:\ndata: reset again\n\nid: é🙂 ü\ndata: unicode\n\n',
        ),
      (ctx) => held(`data: reconnected with ${ctx.lastEventId ?? '(none)'}\n\n${END}`),
    ),
  },
  // An id with C0 controls and DEL (valid: only NUL, CR and LF cannot be in an id): the reconnection
  // sends them as they are; the next event reports the bytes the server got, as hex.
  'control-id': {
    reply: attempts(
      () => ended('retry: 20\nid: a\u0001b\u001fc\u007f\td\ndata: a\n\n'),
      (ctx) => held(`data: got ${hexOf(ctx, 'last-event-id')}\n\n${END}`),
    ),
  },
  // Ids of 1-, 2-, 3- and 4-byte UTF-8 characters: [spec] Last-Event-ID is the id encoded as UTF-8.
  'id-bytes-1': echoesIdBytes('$'),
  'id-bytes-2': echoesIdBytes('é'),
  'id-bytes-3': echoesIdBytes('…'),
  'id-bytes-4': echoesIdBytes('🙂'),
  // The server ends the stream: the client reconnects after `retry` and sends Last-Event-ID.
  reconnect: {
    reply: attempts(
      () => ended('retry: 20\nid: 7\ndata: a\n\n'),
      (ctx) => held(`data: attempt ${ctx.attempt} with ${ctx.lastEventId ?? '(none)'}\n\n${END}`),
    ),
  },
  // A 200 that ends without a byte is a stream that ended: reconnect.
  'empty-stream': {reply: attempts(() => ended(''), () => held(END))},
  // The connection breaks in the middle of the body (a network error, not an end): reconnect. It
  // breaks 500 ms after the last bytes: Chromium's fetch() may drop bytes that arrived just before
  // a network error (see e2e/README.md), which is not what this scenario is about.
  'broken-stream': {
    reply: attempts(
      () => ({body: 'retry: 20\nid: b1\ndata: before\n\ndata: cut', hold: true, breakAfterMs: 500}),
      (ctx) => held(`data: after ${ctx.lastEventId ?? '(none)'}\n\n${END}`),
    ),
  },
  // The reconnection is refused: the connection fails (error with readyState CLOSED).
  'fail-on-reconnect': {reply: attempts(() => ended('retry: 20\ndata: a\n\n'), () => ({status: 503, type: 'text/plain', body: 'down'}))},
  // Only `retry` values of ASCII digits count. Each invalid one would read as about 60 s if it were
  // taken, so the reconnection happens within the test timeout only if `retry: 30` is what counts.
  retry: {
    reply: attempts(
      () =>
        ended(
          'retry: 60000\nretry: 30\nretry: 60000.5\nretry: 60000 \nretry:  60000\nretry: +60000\nretry: 60000e0\n' +
            'retry: 6e4\nretry\nretry:\ndata: a\n\n',
        ),
      () => held(END),
    ),
  },

  // --- responses that fail the connection ---------------------------------------------------------
  'status-204': failure(204, null, ''),
  'status-201': {reply: () => held(`data: created\n\n${END}`, {status: 201})},
  'status-404': failure(404),
  'status-500': failure(500),
  'type-wrong': failure(200, 'text/plain', `data: never\n\n${END}`),
  'type-missing': failure(200, null, `data: never\n\n${END}`),
  // The same on streams that stay open: Chromium sniffs text/plain and untyped bodies (see the spec).
  'type-wrong-held': {reply: () => held(`data: never\n\n${END}`, {type: 'text/plain'})},
  'type-missing-held': {reply: () => held(`data: never\n\n${END}`, {type: null})},
  'type-json-held': {reply: () => held(`data: never\n\n${END}`, {type: 'application/json'})},
  'type-charset': typed('text/event-stream; charset=utf-8'),
  'type-case': typed('Text/Event-Stream;Charset=UTF-8'),
  'type-params': typed('text/event-stream ; foo=bar'),
  'type-charset-quoted': typed('text/event-stream; charset="utf-8"'),
  'type-list-last': typed('text/plain, text/event-stream'),
  // The MIME type of a list is its last valid entry: text/plain. Chromium sniffs such a response, so
  // it decides only after 1 KiB of body (or its end): the padded one gets there.
  'type-list-first': typed('text/event-stream, text/plain'),
  'type-list-first-padded': {reply: () => held(`:${'x'.repeat(2000)}\ndata: typed\n\n${END}`, {type: 'text/event-stream, text/plain'})},
  'type-charset-upper': typed('text/event-stream; charset=UTF-8'),

  // --- redirects ---------------------------------------------------------------------------------
  'redirect-301': redirect(301, 'main'),
  'redirect-302': redirect(302, 'main'),
  'redirect-303': redirect(303, 'main'),
  'redirect-307': redirect(307, 'main'),
  'redirect-308': redirect(308, 'main'),
  // A redirect status without Location is the response itself: not 200, so the connection fails.
  'redirect-no-location': failure(302, 'text/plain', 'no Location'),
  'redirect-cross': redirect(302, 'cross'),
  'redirect-cross-307': redirect(307, 'cross'),
  'redirect-cross-301': redirect(301, 'cross'),
  'redirect-cross-302': redirect(302, 'cross'),
  'redirect-cross-303': redirect(303, 'cross'),
  'redirect-cross-308': redirect(308, 'cross'),

  // --- React and Vue bindings (e2e/bindings.spec.ts) -----------------------------------------------
  // One event, then held: the one-connection case counts requests and sees the last one end.
  'binding-hold': {reply: () => held('id: 1\ndata: shared\n\n')},
  // 500 events in one chunk, then `done`, held.
  'binding-burst': {reply: () => held(`${Array.from({length: 500}, (_, index) => `id: ${index}\ndata: ${index}\n\n`).join('')}event: done\ndata: end\n\n`)},

  // --- close() ------------------------------------------------------------------------------------
  // Events in the same chunk as the one whose listener closes the source are not dispatched.
  hold: {reply: () => held('data: a\n\ndata: b\n\n')},
  // Answers nothing until the client goes away: the source stays CONNECTING.
  silent: {reply: () => ({holdHeaders: true})},
  // Ends after one event; the client then waits 500 ms to reconnect.
  'ends-slow-retry': {reply: attempts(() => ended('retry: 500\ndata: a\n\n'), () => held(END))},

  // --- CORS (requested on the cross server) --------------------------------------------------------
  'cors-anonymous': {cors: 'anonymous', reply: () => held(`data: cors\n\n${END}`)},
  'cors-credentials': {cors: 'credentials', reply: () => held(`data: cors\n\n${END}`)},
  'cors-wildcard': {cors: 'wildcard', reply: () => held(`data: cors\n\n${END}`)},
  'cors-none': {reply: () => held(`data: cors\n\n${END}`)},
  'cors-wrong-origin': {cors: 'wrong-origin', reply: () => held(`data: cors\n\n${END}`)},
  'cors-empty': {cors: 'empty', reply: () => held(`data: cors\n\n${END}`)},
  // Allows the first request, but not the preflight that a reconnection with Last-Event-ID needs
  // from fetch() (the native EventSource sends none).
  'cors-reconnect-no-preflight': {
    cors: 'no-preflight',
    reply: attempts(
      () => ended('retry: 20\nid: c1\ndata: a\n\n'),
      (ctx) => held(`data: back with ${ctx.lastEventId ?? '(none)'}\n\n${END}`),
    ),
  },
  'cors-reconnect': {
    cors: 'anonymous',
    reply: attempts(
      () => ended('retry: 20\nid: c1\ndata: a\n\n'),
      (ctx) => held(`data: back with ${ctx.lastEventId ?? '(none)'}\n\n${END}`),
    ),
  },

  // --- a URL with a user and password (e2e/userinfo.spec.ts) ---------------------------------------
  // A Basic challenge to a request without Authorization; the stream to one with it.
  'basic-auth': {
    cors: 'credentials',
    reply: (ctx) =>
      ctx.headers.authorization === undefined
        ? {status: 401, type: 'text/plain', headers: {'WWW-Authenticate': 'Basic realm="e2e"'}, body: 'who are you?'}
        : held(`data: authorized ${ctx.headers.authorization}\n\n${END}`),
  },
  // --- extras (ours only) --------------------------------------------------------------------------
  // Echoes the request: method, body and the X-Trace header.
  echo: {
    cors: 'anonymous',
    reply: (ctx) => held(`data: ${ctx.method} ${ctx.body || '(no body)'} x-trace=${ctx.headers['x-trace'] ?? '(none)'}\n\n${END}`),
  },
  // Reports the bytes of the X-Trace header it got, as hex (user headers with non-ASCII values).
  'header-bytes': {cors: 'anonymous', reply: (ctx) => held(`data: got ${hexOf(ctx, 'x-trace')}\n\n${END}`)},
  // Ends after one event; reconnections echo the Authorization header.
  'auth-echo': {
    reply: attempts(
      (ctx) => ended(`retry: 20\nid: 1\ndata: ${ctx.headers.authorization ?? '(none)'}\n\n`),
      (ctx) => held(`data: ${ctx.headers.authorization ?? '(none)'}\n\n`),
    ),
  },
  // A new token on every call: token-1, token-2, ...
  token: {reply: (ctx) => ({type: 'text/plain', body: `token-${ctx.attempt}`})},
  // Held first stream with an id; the next attempt reports the Last-Event-ID it got.
  resume: {
    reply: attempts(
      () => held('id: 1\ndata: one\n\n'),
      (ctx) => held(`id: ${ctx.attempt}\ndata: resumed with ${ctx.lastEventId ?? '(none)'}\n\n`),
    ),
  },
  // Ends after one event and asks for a 60 s wait before reconnecting.
  'ends-long-retry': {
    reply: attempts(
      () => ended('retry: 60000\nid: 1\ndata: one\n\n'),
      (ctx) => held(`data: back with ${ctx.lastEventId ?? '(none)'}\n\n`),
    ),
  },
}

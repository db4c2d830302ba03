// A last event ID with C0 controls and DEL, side by side with the native EventSource. [spec] Only
// NUL (which ignores the field), CR and LF (which end the line) cannot be in an id, and Fetch allows
// every other byte in a header value: Chromium sends them on the reconnection, natively and through
// fetch(). (Node's and Deno's fetch refuse them: the source then fails the connection with a
// RequestInitError; test/last-event-id-bytes.test.ts and the runtime matrix cover that.)
import {expect, test} from '@playwright/test'
import {end, expectSameAsNative, message, OPEN, openHarness, RECONNECTING, request} from './support/expectations.js'
import {sideBySide} from './support/side-by-side.js'

test.describe.configure({mode: 'parallel'})
test.beforeEach(openHarness)

test('an id with C0 controls and DEL is the last event ID, and the reconnection sends its exact bytes', async ({page}) => {
  const native = expectSameAsNative(await sideBySide(page, {name: 'control-id', untilData: 'end'}))
  const id = 'a\u0001b\u001fc\u007f\td'
  const bytes = Buffer.from(id, 'utf8').toString('hex')
  expect(native.events).toEqual([OPEN, message('a', {id}), RECONNECTING, OPEN, message(`got ${bytes}`, {id}), end(id)])
  expect(native.requests).toEqual([request('control-id'), request('control-id', {headers: {'last-event-id': id}})])
})

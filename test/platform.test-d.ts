// The two builds put src/core/browser.ts or src/core/server.ts behind src/core/platform.ts: the
// loop is type-checked against the server steps only, so the browser steps must fit the same calls.
import {expectTypeOf, test} from 'vitest'
import type * as browser from '../src/core/browser.js'
import type * as server from '../src/core/server.js'

test('the browser build exports every step of the server build, callable the same way', () => {
  expectTypeOf<keyof typeof browser>().toEqualTypeOf<keyof typeof server>()
  expectTypeOf<Omit<typeof browser, 'BUILD'>>().toExtend<Omit<typeof server, 'BUILD'>>()
  expectTypeOf<(typeof browser)['BUILD']>().toEqualTypeOf<'browser'>()
  expectTypeOf<(typeof server)['BUILD']>().toEqualTypeOf<'server'>()
})

// The builds put src/core/browser.ts, src/core/server.ts or src/core/native/platform.ts behind
// src/core/platform.ts: the loop is type-checked against the server steps only, so the browser and
// react-native steps must fit the same calls.
import {expectTypeOf, test} from 'vitest'
import type * as browser from '../src/core/browser.js'
import type * as native from '../src/core/native/platform.js'
import type * as server from '../src/core/server.js'

test('the browser build exports every step of the server build, callable the same way', () => {
  expectTypeOf<keyof typeof browser>().toEqualTypeOf<keyof typeof server>()
  expectTypeOf<Omit<typeof browser, 'BUILD'>>().toExtend<Omit<typeof server, 'BUILD'>>()
  expectTypeOf<(typeof browser)['BUILD']>().toEqualTypeOf<'browser'>()
  expectTypeOf<(typeof server)['BUILD']>().toEqualTypeOf<'server'>()
})

test('the react-native build exports every step of the server build, callable the same way', () => {
  expectTypeOf<keyof typeof native>().toEqualTypeOf<keyof typeof server>()
  expectTypeOf<Omit<typeof native, 'BUILD'>>().toExtend<Omit<typeof server, 'BUILD'>>()
  expectTypeOf<(typeof native)['BUILD']>().toEqualTypeOf<'react-native'>()
})

import {afterEach, describe, expect, it, vi} from 'vitest'
import {LegacyAbortController} from './legacy-abort-controller.js'

// [non-spec] The react-native build's AbortController: React Native 0.76 to 0.86 install the
// abort-controller 3 polyfill, whose abort() drops its argument. The core reads `signal.reason` to
// tell a pause, its watchdog and close() apart, so the build keeps the reason itself there.

const platform = globalThis.AbortController

async function load(controller: unknown): Promise<typeof import('../../src/core/native/abort-controller.js')> {
  globalThis.AbortController = controller as typeof AbortController
  vi.resetModules()
  return import('../../src/core/native/abort-controller.js')
}

afterEach(() => {
  globalThis.AbortController = platform
})

describe('the AbortController of the react-native build', () => {
  it('is the platform’s where abort(reason) shows the reason on the signal', async () => {
    const module = await load(platform)
    expect(module.AbortController).toBe(platform)
  })

  it('keeps the reason where the platform’s drops it, before the abort listeners run', async () => {
    const {AbortController, ReasonKeepingAbortController} = await load(LegacyAbortController)
    expect(AbortController).toBe(ReasonKeepingAbortController)
    const controller = new AbortController()
    const reason = Symbol('paused')
    const seen: unknown[] = []
    controller.signal.addEventListener('abort', () => seen.push(controller.signal.reason))
    controller.abort(reason)
    expect([controller.signal.aborted, controller.signal.reason, seen]).toEqual([true, reason, [reason]])
  })

  it('gives an "AbortError" DOMException when abort() has no reason, and keeps the first reason', async () => {
    const {AbortController} = await load(LegacyAbortController)
    const controller = new AbortController()
    controller.abort()
    const first: unknown = controller.signal.reason
    controller.abort('later')
    expect([(first as Error).name, controller.signal.reason]).toEqual(['AbortError', first])
  })
})

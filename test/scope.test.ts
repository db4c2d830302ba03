// Which globals count as a window or a worker (fetch enforces CORS there and hides redirects).
import {afterEach, describe, expect, it} from 'vitest'
import {isBrowsingScope} from '../src/core/scope.js'

const scope = globalThis as {document?: unknown; importScripts?: unknown; location?: unknown}

afterEach(() => {
  delete scope.document
  delete scope.importScripts
  delete scope.location
})

describe('isBrowsingScope', () => {
  it('is false in Node', () => {
    expect(isBrowsingScope()).toBe(false)
  })

  it('is true with a document (a window)', () => {
    scope.document = {}
    expect(isBrowsingScope()).toBe(true)
  })

  it('is true with importScripts and a location (a worker)', () => {
    scope.importScripts = () => {}
    scope.location = {href: 'https://example.com/worker.js'}
    expect(isBrowsingScope()).toBe(true)
  })

  it('is false with an importScripts but no location, as workerd has at older compatibility dates', () => {
    scope.importScripts = () => {
      throw new Error("Failed to execute 'importScripts' on 'WorkerGlobalScope': the method is not implemented.")
    }
    expect(isBrowsingScope()).toBe(false)
  })
})

// A fake of RCTNetworking, the native module behind React Native's XMLHttpRequest, in both shapes
// (iOS: sendRequest(query, callback); Android: sendRequest(method, url, requestId, headers, ...);
// abortRequest(id) in both, the events emitted on RCTDeviceEventEmitter). It performs each request with node:http (the tests' servers are on
// 127.0.0.1) and emits what the native side emits: the response head, each chunk of the body as
// text decoded with a streaming UTF-8 decoder (as iOS and Android do, so a character split
// across chunks arrives whole), then completion, or completion with an error when the connection
// is lost. An aborted request emits nothing more.
const http = require('node:http')
const {TextDecoder: NodeTextDecoder} = require('node:util')

/** The error text iOS reports when the server drops the connection. */
const CONNECTION_LOST = 'The network connection was lost.'
/** The buffer Android's networking module reads the body through. */
const ANDROID_BUFFER_BYTES = 8 * 1024

/** The request body as convertRequestBody gave it (a string, or base64 for binary). */
function bodyOf(data) {
  if (data == null) return undefined
  if (typeof data.string === 'string') return data.string
  if (typeof data.base64 === 'string') return Buffer.from(data.base64, 'base64')
  return undefined
}

/** The response headers as the native side reports them: one string per name, repeated ones joined. */
function headersOf(rawHeaders) {
  const headers = {}
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]
    headers[name] = name in headers ? `${headers[name]}, ${rawHeaders[index + 1]}` : rawHeaders[index + 1]
  }
  return headers
}

function installFakeNetworking() {
  // The preset's mock of NativeModules is a CommonJS object before React Native 0.80, a default export after.
  const interop = (module) => module.default ?? module
  const NativeModules = interop(require('react-native/Libraries/BatchedBridge/NativeModules'))
  const RCTDeviceEventEmitter = interop(require('react-native/Libraries/EventEmitter/RCTDeviceEventEmitter'))
  const emit = (name, args) => RCTDeviceEventEmitter.emit(name, args)
  const requests = new Map()
  // The longest responseText (UTF-16 code units) any request has built up so far.
  const stats = {largestResponseText: 0}
  let nextId = 1

  /**
   * Performs one request and emits its events. `maxChunkBytes`: Android reads the body through an
   * 8 KB buffer, so no text event carries more than 8 KB of it.
   */
  const perform = ({id, method, url, headers, data, incrementalUpdates, maxChunkBytes = Infinity}) => {
    const request = http.request(url, {method, headers})
    requests.set(id, request)
    const finish = (error) => {
      if (requests.get(id) !== request) return
      requests.delete(id)
      emit('didCompleteNetworkResponse', [id, error, false])
    }
    request.on('response', (response) => {
      if (requests.get(id) !== request) return
      const total = response.headers['content-length'] === undefined ? -1 : Number(response.headers['content-length'])
      emit('didReceiveNetworkResponse', [id, response.statusCode, headersOf(response.rawHeaders), url])
      const decoder = new NodeTextDecoder()
      let loaded = 0
      let whole = ''
      let responseText = 0
      const deliver = (text) => {
        if (text === '' || requests.get(id) !== request) return
        responseText += text.length
        stats.largestResponseText = Math.max(stats.largestResponseText, responseText)
        if (incrementalUpdates) emit('didReceiveNetworkIncrementalData', [id, text, loaded, total])
        else whole += text
      }
      response.on('data', (chunk) => {
        for (let start = 0; start < chunk.length; start += maxChunkBytes) {
          const piece = chunk.subarray(start, start + maxChunkBytes)
          loaded += piece.length
          deliver(decoder.decode(piece, {stream: true}))
        }
      })
      response.on('end', () => {
        deliver(decoder.decode())
        if (!incrementalUpdates && requests.get(id) === request) emit('didReceiveNetworkData', [id, whole])
        finish('')
      })
      response.on('close', () => {
        if (!response.complete) finish(CONNECTION_LOST)
      })
      response.on('error', () => finish(CONNECTION_LOST))
    })
    request.on('error', (error) => finish(error.message || CONNECTION_LOST))
    request.end(bodyOf(data))
  }

  // iOS: NativeNetworkingIOS.sendRequest(query, callback); the native side picks the request ID.
  const sendRequestIOS = (query, callback) => {
    const id = nextId++
    callback(id)
    perform({...query, id})
  }

  // Android: NativeNetworkingAndroid.sendRequest(method, url, requestId, headers as [name, value]
  // pairs, data, responseType, incrementalUpdates, timeout, withCredentials); the JS picks the ID.
  const sendRequestAndroid = (method, url, id, headerPairs, data, _responseType, incrementalUpdates) =>
    perform({id, method, url, headers: Object.fromEntries(headerPairs), data, incrementalUpdates, maxChunkBytes: ANDROID_BUFFER_BYTES})

  const sendRequest = (...args) => (typeof args[0] === 'string' ? sendRequestAndroid(...args) : sendRequestIOS(...args))

  const abortRequest = (id) => {
    const request = requests.get(id)
    requests.delete(id)
    request?.destroy()
  }

  NativeModules.Networking.sendRequest = sendRequest
  NativeModules.Networking.abortRequest = abortRequest
  /** The requests in flight (a test asserts that none is left behind). */
  globalThis.__fakeNetworkingRequests = requests
  /** What the fake has seen; a test resets it. */
  globalThis.__fakeNetworkingStats = stats
}

module.exports = {installFakeNetworking, CONNECTION_LOST}

// Small node:http helpers shared by the demo's API routes.
import {Buffer} from 'node:buffer'

/** The request URL parsed, whatever prefix a Connect mount stripped from `req.url`. */
export function requestUrl(req) {
  return new URL(req.originalUrl ?? req.url ?? '/', 'http://127.0.0.1')
}

/** Sends `value` as JSON with `status`. */
export function sendJson(res, status, value, headers = {}) {
  res.writeHead(status, {'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers})
  res.end(JSON.stringify(value))
}

/** Reads a request body of at most `limit` bytes as text; rejects when it is larger. */
export function readText(req, limit = 16 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    req.on('data', (chunk) => {
      size += chunk.length
      if (size > limit) {
        reject(new Error(`body larger than ${limit} bytes`))
        req.destroy()
      } else chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

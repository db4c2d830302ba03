// The test side of the scenario server: run ids, scenario URLs and the request log of a run.
import {randomUUID} from 'node:crypto'
import {MAIN_ORIGIN, originOf, type ServerName} from './origins.js'

/** One request as the server saw it (see e2e/server/scenario-routes.mjs). */
export interface LoggedRequest {
  method: string
  server: ServerName
  path: string
  headers: Record<string, string | undefined>
  body: string
  /** The client went away before the response ended. */
  aborted: boolean
}

/** A fresh run id: each run of each test has its own attempt counters and request log. */
export const newRunId = (): string => randomUUID()

/** The URL of `scenario` (step `step`) on `server` for run `id`. */
export function scenarioUrl(id: string, scenario: string, server: ServerName = 'main', step = 'start'): string {
  return `${originOf(server)}/sse/${scenario}/${step}?id=${encodeURIComponent(id)}`
}

/** The URL of the request log of run `id`. */
export const logUrl = (id: string): string => `${MAIN_ORIGIN}/log?id=${encodeURIComponent(id)}`

/** Every request run `id` made, in arrival order. */
export async function requestsOf(id: string): Promise<LoggedRequest[]> {
  const response = await fetch(logUrl(id))
  if (!response.ok) throw new Error(`the request log answered ${response.status}`)
  return (await response.json()) as LoggedRequest[]
}

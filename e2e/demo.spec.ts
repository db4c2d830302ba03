import {expect, type Page, test} from '@playwright/test'
import {DEMO_PORT} from './support/origins.js'

// The demo server (`node demo/serve.mjs --port DEMO_PORT`), started by playwright.config.ts.
const DEMO = `http://127.0.0.1:${DEMO_PORT}`
// The README's picture (and one per engine) is taken by demo-screenshot.spec.ts.
// Reconnecting after a 503 waits 1 s (retry) + 3 s (Retry-After); leave room for a busy machine.
const RECOVERY = {timeout: 20_000}

/** Reads a counter of the connection panel as a number. */
async function counter(page: Page, name: 'received' | 'reconnections' | 'gaps' | 'duplicates'): Promise<number> {
  return Number(await page.getByTestId(name).textContent())
}

/** Opens the demo and waits until the panel's source is open and has received samples. */
async function openDemo(page: Page): Promise<string> {
  await page.goto(`${DEMO}/`)
  await expect(page.getByTestId('ready-state')).toHaveText('OPEN', RECOVERY)
  await expect.poll(() => counter(page, 'received'), RECOVERY).toBeGreaterThan(0)
  return (await page.getByTestId('client-id').textContent()) ?? ''
}

/** How many /api/ticks streams the server has open for `client`. */
async function openStreams(page: Page, client: string): Promise<number> {
  const response = await page.request.get(`${DEMO}/api/stats?client=${client}`)
  return ((await response.json()) as {openStreams: number}).openStreams
}

/**
 * After a reconnection: the strip shows the Last-Event-ID the source resumed after, the next sequence
 * number is exactly one more, more samples keep arriving, and none was skipped or repeated.
 */
async function expectResumedWithoutLoss(page: Page): Promise<void> {
  const marker = page.locator('[data-resume]').last()
  await expect(marker).toBeAttached(RECOVERY)
  const resumedAfter = Number(await marker.getAttribute('data-resume'))
  const next = page.locator('[data-resume] + [data-seq]').last()
  await expect(next).toHaveAttribute('data-seq', String(resumedAfter + 1), RECOVERY)
  const received = await counter(page, 'received')
  await expect.poll(() => counter(page, 'received'), RECOVERY).toBeGreaterThan(received + 1)
  expect(await counter(page, 'gaps')).toBe(0)
  expect(await counter(page, 'duplicates')).toBe(0)
  await expect(page.getByTestId('ready-state')).toHaveText('OPEN')
}

test.describe('demo', () => {
  test('the chart feed arrives in sequence, without gaps or duplicates', async ({page}) => {
    await openDemo(page)
    // The first request asks for a minute of history, then samples keep coming.
    await expect.poll(() => counter(page, 'received'), RECOVERY).toBeGreaterThan(60)
    await expect(page.getByTestId('current-value')).toHaveText(/^\d[\d,]*\.\d$/)
    await expect(page.getByTestId('last-event-id')).toHaveText(/^\d+$/)
    const chips = await page.locator('[data-seq]').evaluateAll((nodes) => nodes.map((node) => Number((node as HTMLElement).dataset.seq)))
    expect(chips.length).toBeGreaterThan(10)
    expect(chips.slice(1).every((seq, index) => seq === (chips[index] ?? Number.NaN) + 1)).toBe(true)
    expect(await counter(page, 'gaps')).toBe(0)
    expect(await counter(page, 'duplicates')).toBe(0)
  })

  test('drop: the source reconnects and resumes after Last-Event-ID', async ({page}) => {
    await openDemo(page)
    await page.getByRole('button', {name: 'drop the stream'}).click()
    await expect(page.getByTestId('failure-name')).toHaveText('NetworkError', RECOVERY)
    await expect(page.getByTestId('failure-will-reconnect')).toHaveText('true')
    await expect(page.getByTestId('failure-delay')).toHaveText('1000 ms')
    await expect(page.getByTestId('reconnections')).toHaveText('1', RECOVERY)
    await expectResumedWithoutLoss(page)
  })

  test('503: HttpError 503 with a Retry-After countdown, then the stream resumes', async ({page}) => {
    await openDemo(page)
    await page.getByRole('button', {name: 'answer 503'}).click()
    await expect(page.getByTestId('failure-name')).toHaveText('HttpError', RECOVERY)
    await expect(page.getByTestId('failure-status')).toHaveText('503')
    await expect(page.getByTestId('failure-will-reconnect')).toHaveText('true')
    await expect(page.getByTestId('failure-delay')).toHaveText('3000 ms')
    await expect(page.getByTestId('ready-state')).toHaveText('CONNECTING')
    await expect(page.getByTestId('countdown')).toHaveText(/^in \d\.\d s$/)
    await expect(page.getByTestId('reconnections')).toHaveText('1', RECOVERY)
    await expect(page.getByTestId('countdown')).toHaveText('—')
    await expectResumedWithoutLoss(page)
  })

  test('stall: InactivityTimeoutError, then the stream resumes', async ({page}) => {
    await openDemo(page)
    await page.getByRole('button', {name: 'stall'}).click()
    await expect(page.getByTestId('failure-name')).toHaveText('InactivityTimeoutError', RECOVERY)
    await expect(page.getByTestId('failure-message')).toContainText('No data from')
    await expect(page.getByTestId('failure-will-reconnect')).toHaveText('true')
    await expect(page.getByTestId('reconnections')).toHaveText('1', RECOVERY)
    await expectResumedWithoutLoss(page)
  })

  test('401: the connection fails (CLOSED) with HttpError 401; reconnect resumes', async ({page}) => {
    await openDemo(page)
    const reconnect = page.getByRole('button', {name: 'reconnect'})
    await expect(reconnect).toBeDisabled()
    await page.getByRole('button', {name: 'answer 401'}).click()
    await expect(page.getByTestId('ready-state')).toHaveText('CLOSED', RECOVERY)
    await expect(page.getByTestId('failure-name')).toHaveText('HttpError')
    await expect(page.getByTestId('failure-status')).toHaveText('401')
    await expect(page.getByTestId('failure-will-reconnect')).toHaveText('false')
    await expect(page.getByTestId('failure-delay')).toHaveText('null')
    await expect(page.getByTestId('countdown')).toHaveText('—')
    await reconnect.click()
    await expect(page.getByTestId('reconnections')).toHaveText('1', RECOVERY)
    await expectResumedWithoutLoss(page)
  })

  test('chat: a POST with a bearer token streams tokens until done', async ({page}) => {
    await openDemo(page)
    await page.getByTestId('chat-prompt').fill('Write a haiku about streams')
    await page.getByRole('button', {name: 'Send'}).click()
    const answer = page.getByTestId('chat-answer')
    // Tokens render while the answer is still streaming, then `done` closes the source.
    await expect(answer).toHaveAttribute('data-state', 'streaming')
    await expect(page.getByTestId('chat-text')).toContainText('Bytes', RECOVERY)
    await expect(answer).toHaveAttribute('data-state', 'done', RECOVERY)
    await expect(page.getByTestId('chat-text')).toHaveText('Bytes drift down the wire,\nan id marks where we left off;\nthe stream finds its place.')
    await expect(page.getByTestId('chat-status')).toHaveText(/^done: \d+ tokens in \d+\.\d s$/)
  })

  test('chat: without a token the server answers 401 and the panel shows it', async ({page}) => {
    await openDemo(page)
    await page.getByTestId('chat-token').fill('')
    await page.getByRole('button', {name: 'Send'}).click()
    await expect(page.getByTestId('chat-answer')).toHaveAttribute('data-state', 'error', RECOVERY)
    await expect(page.getByTestId('chat-status')).toContainText('HttpError 401')
    await expect(page.getByTestId('chat-status')).toContainText('Missing bearer token')
  })

  for (const framework of ['react', 'vue'] as const) {
    test(`${framework}: the card shows the live feed and its source closes on unmount`, async ({page}) => {
      const client = `${await openDemo(page)}-${framework}`
      await expect(page.getByTestId(`${framework}-state`)).toHaveText('open', RECOVERY)
      await expect(page.getByTestId(`${framework}-value`)).toHaveText(/^\d[\d,]*\.\d$/, RECOVERY)
      const count = Number(await page.getByTestId(`${framework}-count`).textContent())
      await expect.poll(async () => Number(await page.getByTestId(`${framework}-count`).textContent()), RECOVERY).toBeGreaterThan(count)
      // One stream: under React StrictMode the first effect's source was closed by its cleanup.
      await expect.poll(() => openStreams(page, client), RECOVERY).toBe(1)
      await page.getByTestId(`${framework}-toggle`).click()
      await expect.poll(() => openStreams(page, client), RECOVERY).toBe(0)
      await page.getByTestId(`${framework}-toggle`).click()
      await expect(page.getByTestId(`${framework}-state`)).toHaveText('open', RECOVERY)
      await expect.poll(() => openStreams(page, client), RECOVERY).toBe(1)
    })
  }

  test('drop: the React and Vue cards go reconnecting → open and resume after their last event ID, with no gap', async ({page}) => {
    await openDemo(page)
    const frameworks = ['react', 'vue'] as const
    const before = new Map<string, number>()
    for (const framework of frameworks) {
      await expect(page.getByTestId(`${framework}-state`)).toHaveText('open', RECOVERY)
      await expect(page.getByTestId(`${framework}-last-event-id`)).toHaveText(/^\d+$/, RECOVERY)
      await expect(page.getByTestId(`${framework}-history`)).toHaveText('connecting → open')
      before.set(framework, Number(await page.getByTestId(`${framework}-count`).textContent()))
    }
    await page.getByRole('button', {name: 'drop the stream'}).click()
    for (const framework of frameworks) {
      // The status went through reconnecting (recorded from the binding's onError/onOpen, not sampled).
      await expect(page.getByTestId(`${framework}-history`)).toHaveText('connecting → open → reconnecting → open', RECOVERY)
      await expect(page.getByTestId(`${framework}-state`)).toHaveText('open')
      await expect(page.getByTestId(`${framework}-error`)).toHaveText('NetworkError')
      const count = Number(await page.getByTestId(`${framework}-count`).textContent())
      await expect.poll(async () => Number(await page.getByTestId(`${framework}-count`).textContent()), RECOVERY).toBeGreaterThan(count + 1)
      expect(count).toBeGreaterThanOrEqual(before.get(framework) ?? Number.NaN)
      // Every sequence number arrived once: the stream resumed after Last-Event-ID.
      await expect(page.getByTestId(`${framework}-gaps`)).toHaveText('0')
    }
  })
})

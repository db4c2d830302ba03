// The "LLM chat" panel: POSTs a JSON prompt with a bearer token to /api/chat and renders the answer
// token by token as the `token` events arrive; `done` closes the source.
import {EventSource, HttpError} from 'eventsource-kit'
import {retry} from 'eventsource-kit/reconnect'
import {byId} from './dom.js'

const view = {
  form: byId<HTMLFormElement>('chat-form'),
  prompt: byId<HTMLTextAreaElement>('chat-prompt'),
  token: byId<HTMLInputElement>('chat-token'),
  send: byId<HTMLButtonElement>('chat-send'),
  answer: byId('chat-answer'),
  text: byId('chat-text'),
  status: byId('chat-status'),
}

let source: EventSource<'token' | 'done'> | undefined

function setStatus(text: string, state: 'idle' | 'streaming' | 'done' | 'error'): void {
  view.status.textContent = text
  view.answer.dataset.state = state
  view.send.disabled = state === 'streaming'
}

/** Sends the prompt and streams the answer into the panel. */
function ask(prompt: string, token: string): void {
  source?.close()
  view.text.textContent = ''
  const startedAt = performance.now()
  let tokens = 0
  const current = new EventSource<'token' | 'done'>('/api/chat', {
    method: 'POST',
    headers: {'Content-Type': 'application/json', ...(token ? {Authorization: `Bearer ${token}`} : {})},
    body: JSON.stringify({prompt}),
    // One answer per prompt: a dropped answer is an error, not a reason to send the prompt again.
    reconnect: retry({maxRetries: 0}),
  })
  source = current
  setStatus('waiting for the first token…', 'streaming')
  current.addEventListener('token', (event) => {
    tokens += 1
    view.text.append((JSON.parse(event.data) as {text: string}).text)
    setStatus(`streaming… ${tokens} tokens`, 'streaming')
  })
  current.addEventListener('done', () => {
    current.close()
    setStatus(`done: ${tokens} tokens in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`, 'done')
  })
  current.addEventListener('error', (event) => {
    if (current.readyState !== EventSource.CLOSED) return
    const {error} = event
    const detail = error instanceof HttpError ? `${error.name} ${error.status}: ${error.body ?? error.message}` : (error?.message ?? 'the answer broke off')
    setStatus(detail, 'error')
  })
}

/** Wires the chat form. */
export function startChat(): void {
  view.form.addEventListener('submit', (event) => {
    event.preventDefault()
    ask(view.prompt.value, view.token.value.trim())
  })
  setStatus('ready', 'idle')
}

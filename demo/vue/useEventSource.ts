// The idiomatic Vue 3 composable: open the source when the component mounts, close it when it unmounts.
import {EventSource} from 'eventsource-kit'
import {onMounted, onUnmounted, type Ref, ref, type ShallowRef, shallowRef} from 'vue'

/** What a component sees of its source, as refs. */
export interface EventSourceRefs {
  /** The source's readyState: CONNECTING, OPEN or CLOSED. */
  readonly readyState: Ref<number>
  /** The newest `message` event, or undefined before the first. */
  readonly lastMessage: ShallowRef<MessageEvent<string> | undefined>
  /** How many `message` events arrived. */
  readonly count: Ref<number>
}

/**
 * Listens to `url` while the calling component is mounted.
 *
 * @example
 * ```ts
 * const {lastMessage, readyState} = useEventSource('/api/ticks')
 * ```
 */
export function useEventSource(url: string): EventSourceRefs {
  const readyState = ref<number>(EventSource.CONNECTING)
  const lastMessage = shallowRef<MessageEvent<string>>()
  const count = ref(0)
  let source: EventSource | undefined

  onMounted(() => {
    const opened = new EventSource(url)
    source = opened
    const syncReadyState = (): void => {
      readyState.value = opened.readyState
    }
    opened.addEventListener('open', syncReadyState)
    opened.addEventListener('error', syncReadyState)
    opened.addEventListener('message', (event) => {
      lastMessage.value = event
      count.value += 1
      syncReadyState()
    })
  })
  onUnmounted(() => source?.close())

  return {readyState, lastMessage, count}
}

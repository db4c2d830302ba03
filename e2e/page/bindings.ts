// The bindings page bundle (/bundles/bindings.js): mounts components that use `eventsource-kit/react`
// and `eventsource-kit/vue` (the built dist/, as an app imports them) and puts the controls on
// `globalThis.bindings`, where e2e/bindings.spec.ts reaches them with `page.evaluate`. Built with
// React's and Vue's development builds, so StrictMode double-invokes effects as it does in a dev server.
import {useEventSource as useReactEventSource} from 'eventsource-kit/react'
import {useEventSource as useVueEventSource} from 'eventsource-kit/vue'
import {createElement, StrictMode} from 'react'
import {createRoot, type Root} from 'react-dom/client'
import {type App, createApp, defineComponent, h} from 'vue'

/** What the page offers the tests. */
export interface Bindings {
  /** Mounts `count` React components on `url` (under StrictMode when `strict`); `received` gets every event's data. */
  mountReact(url: string, options: {count: number; strict: boolean; events?: string[]}): void
  /** Mounts `count` Vue components on `url`. */
  mountVue(url: string, options: {count: number; events?: string[]}): void
  /** Unmounts everything. */
  unmount(): void
  /** The data of every event a mounted first component received, in order, per framework. */
  received: {react: string[]; vue: string[]}
  /** The first component's last rendered text, per framework. */
  text(framework: 'react' | 'vue'): string
}

const received: Bindings['received'] = {react: [], vue: []}
let reactRoot: Root | undefined
let vueApp: App | undefined
const host = (id: string): HTMLElement => {
  const element = document.createElement('div')
  element.id = id
  document.body.append(element)
  return element
}

function ReactStream({url, index, events}: {url: string; index: number; events: string[]}) {
  const stream = useReactEventSource(url, {events, onMessage: index === 0 ? (event) => received.react.push(event.data) : undefined})
  return createElement('p', {className: `react-${index}`}, `${stream.status} ${stream.lastEventId} ${stream.data ?? ''}`)
}

const VueStream = defineComponent({
  props: {url: {type: String, required: true}, index: {type: Number, required: true}, events: {type: Array, required: true}},
  setup(props) {
    const stream = useVueEventSource(props.url, {events: props.events as string[]})
    if (props.index === 0) {
      stream.on('message', (event) => received.vue.push(event.data))
      for (const type of props.events as string[]) stream.on(type, (event) => received.vue.push(event.data))
    }
    return () => h('p', {class: `vue-${props.index}`}, `${stream.status.value} ${stream.lastEventId.value} ${stream.data.value ?? ''}`)
  },
})

const bindings: Bindings = {
  mountReact(url, {count, strict, events = []}) {
    const children = Array.from({length: count}, (_, index) => createElement(ReactStream, {key: index, url, index, events}))
    reactRoot = createRoot(host('react'))
    reactRoot.render(strict ? createElement(StrictMode, null, children) : children)
  },
  mountVue(url, {count, events = []}) {
    vueApp = createApp({render: () => Array.from({length: count}, (_, index) => h(VueStream, {key: index, url, index, events}))})
    vueApp.mount(host('vue'))
  },
  unmount() {
    reactRoot?.unmount()
    vueApp?.unmount()
    reactRoot = undefined
    vueApp = undefined
  },
  received,
  text: (framework) => document.querySelector(`.${framework}-0`)?.textContent ?? '',
}

Object.assign(globalThis, {bindings})

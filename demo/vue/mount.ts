// Mounts the Vue card.
import {createApp} from 'vue'
import App from './App.vue'

/** Renders the Vue card into `container`. */
export function mountVue(container: HTMLElement): void {
  createApp(App).mount(container)
}

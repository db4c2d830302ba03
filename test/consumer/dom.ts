// Compile-only, for the configurations with the DOM lib: an instance is a standard EventSource.
import {EventSource} from 'eventsource-kit'

export const standard: globalThis.EventSource = new EventSource('http://127.0.0.1:1/', {withCredentials: true})

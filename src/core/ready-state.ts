// [spec] The values of readyState, shared by the main entry's EventSource and the shared entry's.

/** [spec] readyState while connecting or waiting to reconnect. */
export const CONNECTING = 0
/** [spec] readyState while the connection is open and events are arriving. */
export const OPEN = 1
/** [spec] readyState after close() or a failed connection. */
export const CLOSED = 2

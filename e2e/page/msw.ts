// msw's browser build as one ES module (/bundles/msw.js): the pieces a page needs to mock a stream.
export {setupWorker} from 'msw/browser'
export {http, HttpResponse, sse} from 'msw'

// Entry of demo/shared.html: the "one connection for every tab" card alone.
import {byId} from './dom.js'
import {startShared} from './shared.js'

startShared(byId('shared-root'))

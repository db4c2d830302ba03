// Demo page entry: the live chart and connection panel share one source; the chat panel has its own;
// the React and Vue cards each open the same feed the way an app in that framework would.
import {LiveChart} from './chart.js'
import {startChat} from './chat.js'
import {ConnectionPanel} from './connection.js'
import {byId} from './dom.js'
import {formatValue} from './feed.js'
import {mountReact} from './react/mount.js'
import {startShared} from './shared.js'
import {mountVue} from './vue/mount.js'

const chart = new LiveChart(byId<HTMLCanvasElement>('chart'), {windowMs: 60_000})
const currentValue = byId('current-value')
const currentSeq = byId('current-seq')

const panel = new ConnectionPanel((tick) => {
  chart.add(tick)
  currentValue.textContent = formatValue(tick.value)
  currentSeq.textContent = `#${tick.seq}`
})
panel.connect()
chart.start()
startChat()
mountReact(byId('react-root'))
mountVue(byId('vue-root'))
startShared(byId('shared-root'))

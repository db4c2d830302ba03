import {rolldown} from 'rolldown'
import {gzipSync} from 'node:zlib'
for (const entry of process.argv.slice(2)) {
const b = await rolldown({input: entry, logLevel:'silent', platform:'browser'})
const {output} = await b.generate({format:'es', minify:true})
const code = output[0].code
console.log(entry, 'min', code.length, 'gzip', gzipSync(code,{level:9}).length)
}

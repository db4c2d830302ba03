// What React Native needs: the build under the `react-native` export condition (vite.config.ts puts
// this module in place of src/core/platform.ts). The same names as src/core/server.ts.
// A placeholder until the React Native transport lands: the server build's steps, over `fetch`.
export {classifyFailure, dispatch, fetchAttempt, holdAttempt, isHandlerHidden, offlineMark, takeUserinfo, watchAttempt, watchWait, wentOffline} from '../server.js'

/** [non-spec] The build: "react-native" here, "server" in the default build, "browser" in the browser build. */
export const BUILD = 'react-native'

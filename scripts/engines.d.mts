/** One engine that needs more than Playwright. */
export interface EngineInfo {
  label: string
  packages: string[]
  executable: string
  helpers: string[]
  setting: string
}
export declare const ENGINES: {firefox: EngineInfo; webkit: EngineInfo}
export declare function isChosen(name: 'chromium' | keyof typeof ENGINES): boolean
export declare function missingOf(name: keyof typeof ENGINES): string | undefined

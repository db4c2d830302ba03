// [non-spec] The key of the async iteration protocol in the react-native build. Hermes before V1 has
// no `Symbol.asyncIterator` (React Native adds none), so `[Symbol.asyncIterator]() {}` would name a
// method "undefined" and `for await` over it would throw "Object is not async iterable". Babel's
// lowering of `for await` (React Native's preset applies it) looks the method up as
// `Symbol.asyncIterator`, else as "@@asyncIterator": the build uses that name where the symbol is missing.

/** `Symbol.asyncIterator` where the platform has it, else the name Babel's `for await` looks up. */
export const asyncIterator: typeof Symbol.asyncIterator =
  typeof Symbol.asyncIterator === 'symbol' ? Symbol.asyncIterator : ('@@asyncIterator' as unknown as typeof Symbol.asyncIterator)

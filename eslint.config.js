// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', '.runtimes/', '.react-native/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly'},
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
    },
  },
  {
    // The React Native suite runs in Jest (test/react-native-jest/): CommonJS setup files, Node's Buffer, React Native's XMLHttpRequest.
    files: ['test/react-native-jest/**'],
    languageOptions: {globals: {Buffer: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', XMLHttpRequest: 'readonly'}},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
)

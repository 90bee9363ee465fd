// ESLint flat config: `npm run lint`. TypeScript rules use type information (the project's
// tsconfig.json through the project service); imports are checked for cycles; the Preact
// hooks follow the React hooks rules (Preact's hooks have the same contract).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'drizzle/**', 'bench/results/**', 'e2e/artifacts/**'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // Unused variables are an error, except a deliberately ignored `_name` (a callback's
      // unused parameter, a destructured field left out on purpose).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Numbers, booleans and the like in template strings read well in messages and logs;
      // objects still may not (they would print "[object Object]").
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true },
      ],
      // Hono handlers and event listeners are typed to return void or a promise; passing an
      // async function where a void callback is expected is how both are written here. Real
      // floating promises are still caught by no-floating-promises.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // Off: an `async` function without `await` is how a promise-returning interface is
      // implemented here (the fake browser's storage API, mail transports): `async` turns a
      // throw into a rejection, which is what callers of such an API handle.
      '@typescript-eslint/require-await': 'off',
      // Off: control characters in regular expressions are deliberate in this codebase
      // (file names, sniffing, audit text and input schemas reject or strip them); the rule
      // only exists to catch them by accident.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests and the browser tests read response bodies (`await res.json()`, page.evaluate)
    // as `any` and check them with expect(); the assertion is the type check there.
    // Production code keeps these rules. The benches and the test helpers in server/test do
    // the same (raw query rows, page.evaluate). A cast there (`as HTMLInputElement`, `as Row[]`)
    // states what the test expects; typescript-eslint 8 asks for type arguments instead, which
    // say the same thing, so no-unnecessary-type-assertion is off there too.
    files: ['**/*.test.{ts,tsx}', 'e2e/**/*.ts', 'bench/**/*.ts', 'server/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Code evaluated inside the browser page (page.evaluate) reaches the extension's untyped
      // `chrome` global.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The browser extension runs in the browser (popup, options, background worker).
    files: ['extension/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.webextensions } },
  },
  {
    // The script of the /docs page runs in the browser, beside Swagger UI's bundle.
    files: ['server/src/features/docs/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Plain JavaScript (scripts, this file): no TypeScript types to check against.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    plugins: { 'import-x': importX },
    settings: {
      // Without these the plugin reads only .js files, and no-cycle would never see a cycle.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] }),
      ],
    },
    rules: {
      // The codebase has no import cycles; keep it that way (features stay layered).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
    },
  },
  {
    files: ['extension/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat['recommended-latest']],
  },
);

import appsync from '@aws-appsync/eslint-plugin';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const tsFiles = ['**/*.ts', '**/*.mts', '**/*.cts'];

// Code that runs on AppSync's APPSYNC_JS runtime. The fixtures that prove the rules fire
// (test/lint) are matched too, so they get exactly the config the real resolvers get.
const resolverFiles = ['resolvers/**/*.ts', 'test/fixtures/lint/resolvers/**/*.ts'];

const unusedVarsOptions = {
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrorsIgnorePattern: '^_',
  destructuredArrayIgnorePattern: '^_',
  ignoreRestSiblings: true,
};

export default defineConfig(
  globalIgnores(
    [
      '**/node_modules/',
      'cdktf.out/',
      '.build/',
      '.gen/',
      'coverage/',
      '.terraform/',
      '.sandbox/',
      // Deliberately invalid resolvers; test/lint lints them with `ignore: false`.
      'test/fixtures/lint/',
    ],
    'project/ignores',
  ),

  {
    name: 'project/javascript',
    extends: [js.configs.recommended],
    rules: { 'no-unused-vars': ['error', unusedVarsOptions] },
  },

  {
    name: 'project/esm-scripts',
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },

  {
    // package.json has no "type", so plain .js files (jest.config.js) are CommonJS.
    name: 'project/commonjs',
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },

  {
    name: 'project/typescript',
    files: tsFiles,
    extends: [tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', unusedVarsOptions],
    },
  },

  {
    // `recommended`, not `base`: it adds no-recursion, no-disallowed-methods and
    // no-function-passing/-return/-reassign, which need type information. The project
    // service is switched on for resolvers only, so the rest of the repo lints without
    // building a TypeScript program.
    name: 'project/appsync-resolvers',
    files: resolverFiles,
    extends: [appsync.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
);

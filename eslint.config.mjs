// ESLint (typescript-eslint). The architecture rule: the engine imports neither the compiler
// nor the worker, and the compiler does not import the worker.
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/**', 'build/**', 'rules/build/**', '.wrangler/**', '.crs/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/bundle/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/compiler/**', '**/worker/**', '**/cli/**', 'node:*'] },
      ],
    },
  },
  {
    files: ['src/compiler/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/worker/**', '**/cli/**'] }] },
  },
)

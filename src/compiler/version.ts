/** The compiler version recorded in bundles (keep in step with package.json "version"). */
export const COMPILER_VERSION = '0.1.0'

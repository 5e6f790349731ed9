/**
 * The compiled rule set, imported at build time. "waf-bundle" is an alias (wrangler.toml
 * [alias], and the esbuild alias of the tests) for rules/build/bundle.json, which
 * `npm run build:rules` (and `npm run dev` / `npm run deploy`) writes. A module alias keeps the
 * typecheck independent of whether the rules have been built.
 */
declare module 'waf-bundle' {
  import type { Bundle } from '../bundle/schema'
  const bundle: Bundle
  export default bundle
}

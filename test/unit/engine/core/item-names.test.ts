import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../../../../src/engine/collections/store'
import type { Item } from '../../../../src/engine/variables/item'
import { VARIABLE_IMPLS } from '../../../../src/engine/variables/registry'
import { parseRaw, program, runAll } from './harness'

/**
 * Every item a variable produces is named after the variable ("ARGS:x", "REQUEST_FILENAME"),
 * except MATCHED_VARS and MATCHED_VARS_NAMES, whose items keep the matched item's name. The
 * engine relies on it to decide once per rule whether a ctl:ruleRemoveTarget* can apply
 * (actions/ctl.ts canRemoveFrom). Checked on a request that fills as many variables as possible.
 */
const RULES = `
SecAction "id:1,phase:1,pass,nolog,setvar:tx.a=1,setenv:E=1,initcol:ip=%{REMOTE_ADDR},setvar:ip.x=1,setsid:s1,setvar:session.y=2,setuid:u1,setvar:user.z=3,initcol:global=g,setvar:global.w=4,setrsc:r1,setvar:resource.v=5"
SecRule ARGS "@rx a" "id:2,phase:2,pass,nolog,capture"
`
const BODY =
  '--b\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n' +
  '--b\r\nContent-Disposition: form-data; name="p"\r\n\r\nval\r\n--b--\r\n'

describe('item names start with the variable name', () => {
  it('for every variable but MATCHED_VARS / MATCHED_VARS_NAMES', () => {
    const p = program(RULES, undefined, { store: new MemoryStore() })
    const raw =
      'POST /dir/file.php?q=1&a=2 HTTP/1.1\r\nHost: localhost\r\nCookie: c=1; d=2\r\nUser-Agent: x\r\n' +
      `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: ${BODY.length}\r\n\r\n` +
      BODY
    const { tx } = runAll(
      p,
      parseRaw(raw),
      {},
      {
        status: 200,
        headers: [
          ['Content-Type', 'text/html'],
          ['X-R', '1'],
        ],
        body: 'resp',
      },
    )
    let seen = 0
    for (const name of Object.keys(VARIABLE_IMPLS)) {
      if (name === 'MATCHED_VARS' || name === 'MATCHED_VARS_NAMES' || name === 'RULE') continue
      const out: Item[] = []
      VARIABLE_IMPLS[name]?.collect(tx.state, { key: undefined, fkey: undefined, rx: undefined }, out, null)
      for (const it of out) {
        seen++
        const ok = it.name === name || it.name.startsWith(name + ':')
        expect(ok, `${name} produced ${it.name}`).toBe(true)
      }
    }
    expect(seen).toBeGreaterThan(60)
  })
})

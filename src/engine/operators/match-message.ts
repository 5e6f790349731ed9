/**
 * An operator's match message "<head><variable name>." (v2's "Operator LT matched 1 at
 * TX:detection_paranoia_level.", "Pattern match ... at ARGS:q."), reusing the string of the
 * operator's previous match when the variable name is the same: a rule meets the same names in
 * every transaction (CRS's paranoia-level gates match in every one), so the string is built once
 * per name, not per match. `last` is the operator's own (one per linked operator).
 */
export function messageFor(last: { name: string; message: string }, head: string, name: string): string {
  if (last.name !== name || last.message === '') {
    last.name = name
    last.message = head + name + '.'
  }
  return last.message
}

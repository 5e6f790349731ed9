/** t:none: no change (in a rule it also clears the inherited transformations; that is the compiler's job). */
export function none(input: string): string {
  return input
}

/** t:length: the input's length in bytes, as a decimal string. */
export function length(input: string): string {
  return String(input.length)
}

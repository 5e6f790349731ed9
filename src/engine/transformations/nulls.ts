/** t:removeNulls: removes every NUL byte. */
export function removeNulls(input: string): string {
  if (input.indexOf('\0') < 0) return input
  return input.split('\0').join('')
}

/** t:replaceNulls: every NUL byte becomes a space. */
export function replaceNulls(input: string): string {
  if (input.indexOf('\0') < 0) return input
  return input.split('\0').join(' ')
}

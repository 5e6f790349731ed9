import type { BinaryString } from '../bytes'
import { utf8ToBinary } from '../bytes'
import type { GeoRecord, OperatorDef } from './types'
import { cString } from './c-string'
import { logEscape } from './log-escape'

/**
 * @geoLookup. v2 looks the target value up in its GeoIP database (SecGeoLookupDb); on success it
 * fills the GEO collection and matches with `Geo lookup for "8.8.8.8" succeeded.` (no variable
 * name: that is the 2.9.7 text); on failure it clears GEO and does not match; without a database
 * it does not match and leaves GEO alone. Here the lookup is ctx.geo (edge metadata in the
 * Worker), so only addresses the edge knows (the client's) succeed; v2 would also resolve host
 * names through DNS, which the Worker cannot do.
 */
export const geoLookup: OperatorDef = {
  name: 'geoLookup',
  doc: 'Looks the input (an IP address) up in the geo source and fills the GEO collection; matches when found.',
  link: () => (input, ctx) => {
    const source = ctx.geo
    if (source === undefined) return false
    const host = cString(input)
    const record = source.lookup(host)
    source.setGeo(record)
    if (record === undefined) return false
    ctx.message = 'Geo lookup for "' + logEscape(host) + '" succeeded.'
    return true
  },
}

/** The geo facts a Worker gets from the request's edge metadata (request.cf), all optional. */
export interface EdgeGeo {
  country?: string
  continent?: string
  region?: string
  regionCode?: string
  city?: string
  postalCode?: string
  latitude?: string | number
  longitude?: string | number
  metroCode?: string | number
}

/**
 * Map edge metadata to the GEO collection with v2's formats (LATITUDE/LONGITUDE as printf "%f",
 * DMA_CODE/AREA_CODE as "%d", missing text fields ""). COUNTRY_CODE3 and COUNTRY_NAME are not
 * part of the edge metadata and stay ""; REGION is the region code when there is one (v2's
 * GeoIP city database gives codes). Text is converted to binary strings (UTF-8 bytes).
 */
export function geoRecordFromEdge(edge: EdgeGeo): GeoRecord {
  return {
    COUNTRY_CODE: text(edge.country),
    COUNTRY_CODE3: '',
    COUNTRY_NAME: '',
    COUNTRY_CONTINENT: text(edge.continent),
    REGION: text(edge.regionCode ?? edge.region),
    CITY: text(edge.city),
    POSTAL_CODE: text(edge.postalCode),
    LATITUDE: fixed6(edge.latitude),
    LONGITUDE: fixed6(edge.longitude),
    DMA_CODE: integer(edge.metroCode),
    AREA_CODE: '0',
  }
}

function text(s: string | undefined): BinaryString {
  return s === undefined ? '' : utf8ToBinary(s)
}

function fixed6(v: string | number | undefined): string {
  const n = typeof v === 'number' ? v : v === undefined ? NaN : Number(v)
  return (Number.isFinite(n) ? n : 0).toFixed(6)
}

function integer(v: string | number | undefined): string {
  const n = typeof v === 'number' ? v : v === undefined ? NaN : Number(v)
  return String(Number.isFinite(n) ? Math.trunc(n) : 0)
}

import { readFileSync } from 'node:fs'

/**
 * `signature-vectors.json`, copied verbatim from the shared contract
 * (`../shared/contract/signature-vectors.json`), checked with an independent HMAC implementation.
 */
export interface SignatureVector {
  name: string
  method: string
  resource: string
  contentType: string
  date: string
  body: string
  stringToSign: string
  signature: string
  authorization: string
}

export interface SignatureVectors {
  accessKeyId: string
  accessKeySecret: string
  cases: SignatureVector[]
  wrongVariantsOfCase0: { mistake: string; signature: string }[]
}

export const vectors = JSON.parse(
  readFileSync(new URL('../contract/signature-vectors.json', import.meta.url), 'utf8'),
) as SignatureVectors

export function vectorCase(index: number): SignatureVector {
  const found = vectors.cases[index]
  if (found === undefined) throw new Error(`no vector case ${index}`)
  return found
}

import type { Readable } from 'node:stream'
import { errorCodes } from 'fastify'

/**
 * Reads a request body into one Buffer. Past `limit` bytes it stops listening and fails with
 * Fastify's 413 error — before reading anything when the declared Content-Length already says
 * so. It never destroys the stream, so the 413 answer can still be written to the socket.
 */
export function readRawBody(
  stream: Readable,
  limit: number,
  declaredLength: string | undefined,
): Promise<Buffer> {
  if (declaredLength !== undefined && Number(declaredLength) > limit) {
    return Promise.reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const stop = () => {
      stream.off('data', onData)
      stream.off('end', onEnd)
      stream.off('error', onError)
      stream.off('close', onClose)
    }
    function onData(chunk: Buffer) {
      size += chunk.length
      if (size > limit) {
        stop()
        reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
        return
      }
      chunks.push(chunk)
    }
    function onEnd() {
      stop()
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size))
    }
    // A client that goes away mid-body is the client's problem (400), not a server error.
    function onError(error: Error) {
      stop()
      reject(Object.assign(error, { statusCode: 400 }))
    }
    function onClose() {
      onError(new Error('the client closed the connection before the body was complete'))
    }
    stream.on('data', onData)
    stream.on('end', onEnd)
    stream.on('error', onError)
    stream.on('close', onClose)
  })
}

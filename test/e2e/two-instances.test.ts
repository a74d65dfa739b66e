import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedRequest } from '../helpers/signing.js'
import { REPO_ROOT, startServerProcess, type ServerProcess } from '../helpers/server-process.js'

/**
 * Links are self-verifying (docs/contract.md §5): two server processes that share DLG_LINK_SECRET each
 * open a link the other minted; one with another secret refuses it.
 */

const SHARED = 'shared-link-secret-for-two-instances'
const servers: ServerProcess[] = []

async function start(secret: string): Promise<ServerProcess> {
  const server = startServerProcess({ DLG_LINK_SECRET: secret })
  servers.push(server)
  await server.ready
  return server
}

async function mint(server: ServerProcess): Promise<URL> {
  const request = signedRequest({ now: Date.now() })
  const response = await fetch(`${server.baseUrl}${request.url}`, {
    method: 'POST',
    headers: request.headers,
    body: request.payload,
  })
  expect(response.status).toBe(200)
  return new URL(((await response.json()) as { conversationDetailLink: string }).conversationDetailLink)
}

async function open(link: URL, on: ServerProcess): Promise<number> {
  return (await fetch(`${on.baseUrl}${link.pathname}${link.search}`)).status
}

let a: ServerProcess
let b: ServerProcess
let other: ServerProcess
beforeAll(async () => {
  ;[a, b, other] = await Promise.all([start(SHARED), start(SHARED), start('another-link-secret-0123456789')])
})
afterAll(async () => {
  for (const server of servers) server.child.kill('SIGTERM')
  await Promise.all(servers.map((server) => server.exited))
})

describe('two instances sharing DLG_LINK_SECRET', () => {
  it('each opens the links the other minted', async () => {
    const fromA = await mint(a)
    const fromB = await mint(b)
    expect(fromA.port).not.toBe(fromB.port)
    expect([await open(fromA, b), await open(fromB, a), await open(fromA, a)]).toEqual([200, 200, 200])
  })

  it('an instance with another secret refuses them', async () => {
    expect(await open(await mint(a), other)).toBe(403)
  })
})

describe('docker-compose.yml', () => {
  it('runs two replicas of the image with one shared link secret behind one address', async () => {
    const compose = parse(await readFile(join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: Record<
        string,
        {
          deploy?: { replicas?: number }
          environment?: Record<string, string>
          ports?: string[]
          depends_on?: unknown
        }
      >
    }
    const { mock, lb } = compose.services
    expect(mock?.deploy?.replicas).toBe(2)
    expect(mock?.environment?.['DLG_LINK_SECRET']).toMatch(/^\$\{DLG_LINK_SECRET/)
    expect(mock?.environment?.['DLG_PUBLIC_URL']).toBe('http://localhost:8080')
    expect(lb?.ports).toEqual(['8080:8080'])
    const nginx = await readFile(join(REPO_ROOT, 'deploy', 'nginx.conf'), 'utf8')
    expect(nginx).toContain('server mock:3000')
  })
})

// The ceiling of `npm run bench`: bare Fastify 5, no authentication, no logging, answering the
// signed route's reply for the same POST (JSON body parsed by Fastify's default parser).
import Fastify from 'fastify'

const reply = {
  conversationDetailLink:
    'http://localhost:3000/views/messaging?staffId=45188&customerId=5667067&startDate=1610856400000&endDate=1635892494000&expiresAt=1700000000000&sig=0123456789abcdefghijklmnopqrstuvwxyzABCDEFG',
  isSuccess: true,
}
const app = Fastify({ logger: false })
app.get('/health', async () => ({ status: 'ok' }))
app.post('/v1/reporting/getmessagingdetail', async () => reply)
await app.listen({ port: Number(process.env.PORT ?? 3999), host: process.env.HOST ?? '127.0.0.1' })
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))

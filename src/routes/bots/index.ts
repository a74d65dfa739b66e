import type { BotRoute } from '../bot-route.js'
import { SEND_MESSAGE } from './sendmessage.js'
import { SEND_MOK } from './sendmok.js'

/** The Messaging API (`/v1/bots/<api>/<token>`), one entry per endpoint file of this folder. */
export const BOT_ROUTES: readonly BotRoute[] = [SEND_MESSAGE, SEND_MOK]

import { serveOrExit } from './serve.js'

/** Entry point of `npm start` and the Docker image: the server, configured by the environment. */
serveOrExit(process.env)

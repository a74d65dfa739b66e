/** Entry point of `npm start` and the Docker image: the server, configured by the environment. */
try {
  const { serveOrExit } = await import('./serve.js')
  serveOrExit(process.env)
} catch (error) {
  // A module that cannot load (a missing dependency): one line, as every start-up failure.
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  process.stderr.write(`diyalog-mock: cannot start: ${text.replace(/\s*[\r\n]+\s*/g, ' ')}\n`)
  process.exit(1)
}

// Baseline: a bare Fastify server answering `GET /` with a small JSON body, nothing else (no
// logger, no hooks). What one Node process can serve over HTTP/1.1 keep-alive on this machine.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

import { startTestApp } from '../src/serve/test-support.js';
const t = await startTestApp('sqlite');
const r = await t.app.inject({ url: '/api/docs/static/swagger-initializer.js' }); console.log(r.statusCode, r.body.slice(0,600));
const b = await t.app.inject({ url: '/api/docs/static/swagger-ui-bundle.js' }); console.log(b.statusCode, b.body.length);
await t.close();

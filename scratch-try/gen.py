import json
routes = {
 'resources': ([('GET','/api/v1/resources','agent'),('GET','/api/v1/resources/host%3Anode-1','agent')], ('GET','/api/v1/resources?family=ships',None,'querystring.family')),
 'findings': ([('GET','/api/v1/findings','agent')], ('GET','/api/v1/findings?limit=501',None,'querystring.limit')),
 'control-results': ([('GET','/api/v1/control-results','agent')], ('GET','/api/v1/control-results?engine=nope',None,'querystring.engine')),
 'alerts': ([('GET','/api/v1/alerts','agent'),('PATCH','/api/v1/alerts/1','viewer')], ('PATCH','/api/v1/alerts/1',{'state':'gone'},'body.state')),
 'recommendations': ([('GET','/api/v1/recommendations','agent'),('GET','/api/v1/recommendations/CIS-DI-0001','agent')], ('GET','/api/v1/recommendations?active=maybe',None,'querystring.active')),
 'score': ([('GET','/api/v1/score','agent')], None),
 'compliance': ([('GET','/api/v1/compliance?standard=nsa','agent')], ('GET','/api/v1/compliance?standard=iso-27001',None,'querystring.standard')),
 'exceptions': ([('POST','/api/v1/exceptions','viewer'),('PATCH','/api/v1/exceptions/1','viewer'),('POST','/api/v1/exceptions/1/approve','agent'),('DELETE','/api/v1/exceptions/1','agent')], ('POST','/api/v1/exceptions',{'targets':[],'selector':{},'reason':'x'},'body.targets')),
 'reports': ([('POST','/api/v1/reports','viewer'),('GET','/api/v1/reports','agent'),('GET','/api/v1/reports/1','agent')], ('GET','/api/v1/reports/abc',None,'params.id')),
 'packages': ([('GET','/api/v1/packages?name=openssl','agent')], ('GET','/api/v1/packages?sort=size',None,'querystring.sort')),
 'images': ([('GET','/api/v1/images/sha256:'+'a'*64+'/verdict','agent')], ('GET','/api/v1/images/latest/verdict',None,'params.digest')),
}
for folder,(calls,bad) in routes.items():
    L = []
    L.append("import { afterAll, beforeAll, describe, expect, it } from 'vitest';")
    L.append("import { startTestApp, type TestApp } from '../../../../serve/test-support.js';")
    L.append("")
    L.append(f"// What the HTTP layer decides on its own for /{folder}: who may call it and what input it takes. The")
    L.append("// answers come from the center's service and are checked against the response schema when they leave.")
    L.append(f"describe('/api/v1/{folder}', () => {{")
    L.append("  let t: TestApp;")
    L.append("  beforeAll(async () => {")
    L.append("    t = await startTestApp('sqlite');")
    L.append("  });")
    L.append("  afterAll(async () => t?.close());")
    L.append("")
    L.append("  it('needs credentials and the right role, checked before the input', async () => {")
    L.append("    const calls = [")
    for (m,u,role) in calls:
        L.append(f"      {{ method: '{m}', url: '{u}', role: '{role}' }},")
    L.append("    ] as const;")
    L.append("    for (const call of calls) {")
    L.append("      const anonymous = await t.app.inject({ method: call.method, url: call.url, payload: { bad: true } });")
    L.append("      expect(anonymous.statusCode, call.url).toBe(401);")
    L.append("      const forbidden = await t.app.inject({")
    L.append("        method: call.method,")
    L.append("        url: call.url,")
    L.append("        headers: await t.auth(call.role),")
    L.append("        payload: { bad: true },")
    L.append("      });")
    L.append("      expect(forbidden.statusCode, `${call.method} ${call.url}`).toBe(403);")
    L.append("      expect(forbidden.json().error.code).toBe('BULKHEAD_ERR_FORBIDDEN');")
    L.append("    }")
    L.append("  });")
    if bad:
        m,u,payload,field = bad
        L.append("")
        L.append("  it('refuses invalid input with 400 naming the field', async () => {")
        L.append("    const res = await t.app.inject({")
        L.append(f"      method: '{m}',")
        L.append(f"      url: '{u}',")
        L.append("      headers: await t.auth('admin'),")
        if payload is not None:
            L.append(f"      payload: {json.dumps(payload)},")
        L.append("    });")
        L.append("    expect(res.statusCode).toBe(400);")
        L.append("    expect(res.json().error.code).toBe('BULKHEAD_ERR_VALIDATION');")
        esc = field.replace('.', '\\.')
        L.append(f"    expect(res.json().error.message).toMatch(/^{esc}/);")
        L.append("  });")
    L.append("});")
    open(f'src/api/routes/v1/{folder}/index.test.ts','w').write('\n'.join(L)+'\n')

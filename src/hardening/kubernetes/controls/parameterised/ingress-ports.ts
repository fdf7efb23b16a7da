import { finding, get, onKinds, records } from '../helpers.js';
import type { ControlFailure } from '../types.js';
import type { ParameterisedCheck } from './types.js';

/** Backend Service ports of an Ingress (default backend and every path) against allowed and denied ports. */
export const ingressPorts: ParameterisedCheck = {
  name: 'ingress-ports',
  control: 'K8S-NET-11',
  mode: 'add',
  configured: (p) => p.ingressAllowedPorts.length > 0 || p.ingressDeniedPorts.length > 0,
  check: onKinds(['Ingress'], (o, _item, ctx) => {
    const { ingressAllowedPorts: allowed, ingressDeniedPorts: denied } = ctx.params;
    const backends: { port: unknown; field: string }[] = [];
    const backend = get(o, 'spec', 'defaultBackend');
    if (backend)
      backends.push({ port: get(backend, 'service', 'port', 'number'), field: 'spec.defaultBackend' });
    records(get(o, 'spec', 'rules')).forEach((r, i) => {
      records(get(r, 'http', 'paths')).forEach((p, j) => {
        backends.push({
          port: get(p, 'backend', 'service', 'port', 'number'),
          field: `spec.rules[${i}].http.paths[${j}].backend`,
        });
      });
    });
    const out: ControlFailure[] = [];
    for (const { port, field } of backends) {
      if (typeof port !== 'number') continue;
      if (denied.includes(port) || (allowed.length && !allowed.includes(port)))
        out.push(finding(`backend port ${port} is not allowed`, `${field}.service.port.number`));
    }
    return out;
  }),
};

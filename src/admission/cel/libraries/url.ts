import { library } from '../library.js';
import { URLValue } from '../support/url-value.js';

const URL_TYPE = 'kubernetes.URL';

/** Kubernetes URL library: `url('https://example.com:80/').getPort() == '80'`. */
export const urlLibrary = library(
  'url',
  'URLs (`url`, `isURL`, scheme, host, hostname, port, escaped path, query)',
  {
    [`url(string): ${URL_TYPE}`]: (s: string) => URLValue.parse(s),
    'isURL(string): bool': (s: string) => URLValue.tryParse(s) !== undefined,
    [`${URL_TYPE}.getScheme(): string`]: (u: URLValue) => u.scheme,
    [`${URL_TYPE}.getHost(): string`]: (u: URLValue) => u.host,
    [`${URL_TYPE}.getHostname(): string`]: (u: URLValue) => u.hostname,
    [`${URL_TYPE}.getPort(): string`]: (u: URLValue) => u.port,
    [`${URL_TYPE}.getEscapedPath(): string`]: (u: URLValue) => u.escapedPath,
    [`${URL_TYPE}.getQuery(): map<string, list<string>>`]: (u: URLValue) => u.query,
  },
  (env) => {
    env.registerType(URL_TYPE, URLValue);
    env.registerOperator(`${URL_TYPE} == ${URL_TYPE}`, (a: URLValue, b: URLValue) => a.equals(b));
  },
);

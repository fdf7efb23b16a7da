import { parseStanzas } from '../control-file.js';
import { type Cataloger, type Found, MiB } from '../types.js';

const METADATA = /(?:\.dist-info\/METADATA|\.egg-info\/PKG-INFO|EGG-INFO\/PKG-INFO|\.egg-info)$/i;

/** Python distributions installed in site-packages: `*.dist-info/METADATA`, egg-info (file or folder). */
export const pythonInstalled: Cataloger = {
  name: 'python-installed',
  kind: 'installed',
  version: 1,
  type: 'pypi',
  wants: (path) => (METADATA.test(path) ? { maxBytes: 4 * MiB } : undefined),
  parse(file) {
    // METADATA headers end at the first blank line; the description follows
    const text = file.content.toString('utf8');
    const head = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
    const fields = parseStanzas(head)[0] ?? {};
    const name = fields.Name;
    const version = fields.Version;
    if (!name || !version) return [];
    const license =
      fields['License-Expression'] ||
      (fields.License && fields.License !== 'UNKNOWN' ? fields.License.split('\n')[0] : undefined);
    const found: Found = { name, version, ...(license ? { licenses: [license] } : {}) };
    return [found];
  },
};

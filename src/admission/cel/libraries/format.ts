import { Optional } from '@marcbachmann/cel-js';
import { library } from '../library.js';
import {
  asPrefix,
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  labelValue,
  qualifiedName,
} from '../support/name-validation.js';
import { requestUriError } from '../support/request-uri.js';

const FORMAT = 'kubernetes.NamedFormat';

/** A named string format: `validate` lists the problems of a value (none when it conforms). */
class NamedFormat {
  constructor(
    readonly name: string,
    readonly check: (value: string) => string[],
  ) {}
}

/** Receiver of `format.named(…)` and `format.<name>()`. */
class FormatNamespace {}

const one = (ok: (s: string) => boolean, message: string) => (s: string) => (ok(s) ? [] : [message]);

/** Go's `time.Parse("2006-01-02", s)`: four-digit year, two-digit month and day, a real calendar day. */
function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** kube-openapi's `strfmt.IsDateTime`: a date, `T`, then `hh:mm:ss[.frac]` and `Z` or `±hh:mm`. */
function isDateTime(s: string): boolean {
  if (s.length < 4) return false;
  const parts = s.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0]!)) return false;
  const m = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/.exec(parts[1]!);
  return m !== null && m[1]! <= '23' && m[2]! <= '59' && m[3]! <= '59';
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;

/** The formats Kubernetes names (1.31+), with the validation the API server applies for each. */
const FORMATS: Readonly<Record<string, (value: string) => string[]>> = {
  dns1123Label,
  dns1123Subdomain,
  dns1035Label,
  qualifiedName,
  dns1123LabelPrefix: asPrefix(dns1123Label),
  dns1123SubdomainPrefix: asPrefix(dns1123Subdomain),
  dns1035LabelPrefix: asPrefix(dns1035Label),
  labelValue,
  uri: (s) => {
    const error = requestUriError(s);
    return error === undefined ? [] : [error];
  },
  uuid: one((s) => UUID.test(s), 'does not match the UUID format'),
  byte: one((s) => BASE64.test(s), 'invalid base64'),
  date: one(isDate, 'invalid date'),
  datetime: one(isDateTime, 'invalid datetime'),
};

const NAMED = new Map(Object.entries(FORMATS).map(([name, check]) => [name, new NamedFormat(name, check)]));
const named = (name: string) => NAMED.get(name)!;

function validate(format: NamedFormat, value: string): Optional {
  const problems = format.check(value);
  return problems.length === 0 ? Optional.none() : Optional.of(problems);
}

/**
 * Kubernetes format library: `format.dns1123Label().validate(object.metadata.name)` is `optional.none()` for a
 * valid name, otherwise the API server's messages; `format.named('uuid')` is an optional format.
 */
export const formatLibrary = library(
  'format',
  'Named string formats (`format.dns1123Label()` … `format.named(name)`, `validate(string)`)',
  {
    ...Object.fromEntries(
      Object.keys(FORMATS).map((name) => [`FormatNamespace.${name}(): ${FORMAT}`, () => named(name)]),
    ),
    [`FormatNamespace.named(string): optional<${FORMAT}>`]: (_: FormatNamespace, name: string) =>
      NAMED.has(name) ? Optional.of(named(name)) : Optional.none(),
    [`${FORMAT}.validate(string): optional<list<string>>`]: validate,
  },
  (env) => {
    env.registerType(FORMAT, NamedFormat);
    env.registerType('FormatNamespace', FormatNamespace);
    env.registerConstant('format', 'FormatNamespace', new FormatNamespace());
    env.registerOperator(`${FORMAT} == ${FORMAT}`, (a: NamedFormat, b: NamedFormat) => a === b);
  },
);

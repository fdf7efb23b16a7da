/**
 * Kubernetes' name and label validation (apimachinery `util/validation` and `api/validation`), with its exact
 * lengths, patterns and messages. Each check returns the list of problems; an empty list means valid.
 * Lengths count UTF-8 bytes, as Go's `len` does.
 */

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${QUALIFIED_NAME})?`;
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);
const RE = {
  label: whole(DNS1123_LABEL),
  subdomain: whole(DNS1123_SUBDOMAIN),
  dns1035: whole(DNS1035_LABEL),
  qualified: whole(QUALIFIED_NAME),
  labelValue: whole(LABEL_VALUE),
};

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const maxLenError = (n: number) => `must be no more than ${n} characters`;
const emptyError = () => 'must be non-empty';

/** apimachinery's RegexError: the message, its examples and the pattern used. */
function regexError(message: string, pattern: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${pattern}')`;
  const listed = examples.map((e) => `'${e}', `).join(' or ');
  return `${message} (e.g. ${listed}regex used for validation is '${pattern}')`;
}

function check(value: string, max: number, re: RegExp, error: () => string): string[] {
  const errs: string[] = [];
  if (bytes(value) > max) errs.push(maxLenError(max));
  if (!re.test(value)) errs.push(error());
  return errs;
}

export function dns1123Label(value: string): string[] {
  return check(value, 63, RE.label, () =>
    regexError(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
      DNS1123_LABEL,
      'my-name',
      '123-abc',
    ),
  );
}

export function dns1123Subdomain(value: string): string[] {
  return check(value, 253, RE.subdomain, () =>
    regexError(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
      DNS1123_SUBDOMAIN,
      'example.com',
    ),
  );
}

export function dns1035Label(value: string): string[] {
  return check(value, 63, RE.dns1035, () =>
    regexError(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
      DNS1035_LABEL,
      'my-name',
      'abc-123',
    ),
  );
}

export function labelValue(value: string): string[] {
  return check(value, 63, RE.labelValue, () =>
    regexError(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      LABEL_VALUE,
      'MyValue',
      'my_value',
      '12345',
    ),
  );
}

/** A label key or annotation key: an optional DNS subdomain prefix and `/`, then a name of at most 63. */
export function qualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  const nameError = () => regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME, 'MyName', 'my.name', '123-abc');
  if (parts.length > 2)
    return [
      `a qualified name ${nameError()} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') errs.push(`prefix part ${emptyError()}`);
    else errs.push(...dns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  }
  if (name === '') errs.push(`name part ${emptyError()}`);
  else if (bytes(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!RE.qualified.test(name)) errs.push(`name part ${nameError()}`);
  return errs;
}

/**
 * For names used as a `generateName` prefix: a trailing dash is allowed. Reproduces apimachinery's
 * `maskTrailingDash`, which drops the last two characters and appends `a`.
 */
export function asPrefix(validate: (value: string) => string[]): (value: string) => string[] {
  return (value) => validate(value.length > 1 && value.endsWith('-') ? `${value.slice(0, -2)}a` : value);
}

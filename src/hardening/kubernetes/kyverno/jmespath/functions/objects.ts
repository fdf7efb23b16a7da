import {
  type JSONObject,
  type JSONValue,
  TYPE_ANY,
  TYPE_ARRAY,
  TYPE_OBJECT,
  TYPE_STRING,
} from '@jmespath-community/jmespath';
import { parse as parseYaml } from 'yaml';
import { fail, type KyvernoFunction } from './types.js';

const S = { types: [TYPE_STRING] };

/** Kyverno's object and list extensions. */
export const OBJECT_FUNCTIONS: readonly KyvernoFunction[] = [
  {
    name: 'label_match',
    signature: [{ types: [TYPE_OBJECT] }, { types: [TYPE_OBJECT] }],
    call: ([selector, labels]) =>
      Object.entries(selector as JSONObject).every(([k, v]) => (labels as JSONObject)[k] === v),
  },
  {
    name: 'lookup',
    signature: [{ types: [TYPE_OBJECT, TYPE_ARRAY] }, { types: [TYPE_ANY] }],
    call: ([collection, key]) => {
      if (Array.isArray(collection)) return typeof key === 'number' ? (collection[key] ?? null) : null;
      return typeof key === 'string' ? ((collection as JSONObject)[key] ?? null) : null;
    },
  },
  {
    // Kyverno's items(collection, keyName, valueName): objects, sorted by key; with one argument the built-in's
    // [key, value] pairs.
    name: 'items',
    replaces: true,
    signature: [
      { types: [TYPE_OBJECT, TYPE_ARRAY] },
      { types: [TYPE_STRING], optional: true },
      { types: [TYPE_STRING], optional: true },
    ],
    call: ([collection, keyName, valueName]) => {
      const entries: [JSONValue, JSONValue][] = Array.isArray(collection)
        ? collection.map((v, i) => [i, v])
        : Object.keys(collection as JSONObject)
            .sort()
            .map((k) => [k, (collection as JSONObject)[k]!]);
      if (keyName === undefined) return entries;
      return entries.map(([k, v]) => ({ [keyName as string]: k, [(valueName as string) ?? 'value']: v }));
    },
  },
  {
    name: 'object_from_lists',
    signature: [{ types: [TYPE_ARRAY] }, { types: [TYPE_ARRAY] }],
    call: ([keys, values]) =>
      Object.fromEntries(
        (keys as JSONValue[]).map((k, i) => [String(k), (values as JSONValue[])[i] ?? null]),
      ),
  },
  {
    name: 'parse_json',
    signature: [S],
    call: ([text]) => {
      try {
        return JSON.parse(text as string) as JSONValue;
      } catch (error) {
        return fail('parse_json', (error as Error).message);
      }
    },
  },
  {
    name: 'parse_yaml',
    signature: [S],
    call: ([text]) => {
      try {
        return (parseYaml(text as string) ?? null) as JSONValue;
      } catch (error) {
        return fail('parse_yaml', (error as Error).message);
      }
    },
  },
];

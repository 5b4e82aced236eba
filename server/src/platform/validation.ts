import { Ajv, type Options } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;

const common: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false };

/**
 * JSON bodies are validated exactly as sent: `"username": 5` is a wrong type, not "5".
 * Query strings, path parameters and headers arrive as text, so only they are coerced to the
 * schema's types (and a lone value to a one-element array).
 *
 * allErrors reports every offending field at once; its cost on hostile input is bounded by the
 * body limit and the maxLength on every free-text field.
 */
const bodyAjv = addFormats(new Ajv({ ...common, coerceTypes: false }));
const textAjv = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);

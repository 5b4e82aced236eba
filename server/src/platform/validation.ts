import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';
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

/**
 * Validators and serializers are compiled on a route's first use, not at start-up. Compiling all
 * of them eagerly cost about 6 s of CPU per start: a replica that is replacing a dead one, or
 * joining a rollout, would spend that before it could be ready, and most routes are never called
 * by a given replica soon after it starts.
 */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  let validate: ValidateFunction | undefined;
  const lazy = Object.assign((data: unknown) => {
    validate ??= (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);
    const ok = validate(data);
    // Fastify reads the errors off the function it was given.
    lazy.errors = validate.errors;
    return ok;
  }, { errors: null as ValidateFunction['errors'] });
  return lazy;
};

/** Fastify's own serializer (fast-json-stringify), compiled on the first response of each route and status. */
export const lazySerializerFactory: SerializerFactory = (externalSchemas, serializerOpts) => {
  const compile = SerializerSelector()(externalSchemas, serializerOpts);
  return (route) => {
    let serialize: ((data: unknown) => string) | undefined;
    return (data) => (serialize ??= compile(route))(data);
  };
};

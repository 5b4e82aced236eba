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
 * One app's validator and serializer compilers. Both compile on a route's first use, not at
 * start-up: compiling all of them eagerly cost about 6 s of CPU per start, which a replica that is
 * replacing a dead one, or joining a rollout, would spend before it could be ready, while most
 * routes are never called soon after a start. compileAll() compiles whatever is still pending, so
 * a test proves every route's schemas compile (a broken one would otherwise surface at first use).
 */
export function lazySchemaCompilers() {
  const pending = new Set<() => unknown>();
  const deferred = <F>(compile: () => F) => {
    let compiled: F | undefined;
    const get = () => {
      pending.delete(get);
      return (compiled ??= compile());
    };
    pending.add(get);
    return get;
  };

  const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
    // A binary body (a drawing's bytes) has nothing for JSON Schema to check: its handler checks
    // the bytes themselves (size, type sniffed from the content).
    if (httpPart === 'body' && (schema as { format?: string }).format === 'binary') return () => true;
    const validate = deferred(() => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));
    const lazy = Object.assign((data: unknown) => {
      const ok = validate()(data);
      // Fastify reads the errors off the function it was given.
      lazy.errors = validate().errors;
      return ok;
    }, { errors: null as ValidateFunction['errors'] });
    return lazy;
  };

  /** Fastify's own serializer (fast-json-stringify), per route and status. */
  const serializerFactory: SerializerFactory = (externalSchemas, serializerOpts) => {
    const compile = SerializerSelector()(externalSchemas, serializerOpts);
    return (route) => {
      const serialize = deferred(() => compile(route));
      return (data) => serialize()(data);
    };
  };

  return {
    validatorCompiler,
    serializerFactory,
    /** Compiles every pending schema now; returns how many there were. */
    compileAll(): number {
      const all = [...pending];
      for (const compile of all) compile();
      return all.length;
    },
  };
}

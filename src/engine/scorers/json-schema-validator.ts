// ajv is a quarter of a megabyte to compile: json.ts imports this module only when a suite
// validates a schema. Its imports are static so the bundler handles ajv's CommonJS exports
// (a dynamic import of a CommonJS package gets only its default export in the split bundle).
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its plugin is both module.exports and module.exports.default.
const addFormats = addFormatsModule.default;

/** Compiles a JSON Schema (draft 2020-12 when its $schema says so, else draft 7); throws ajv's error for an invalid one. */
export function compileJsonSchema(schema: object | boolean): ValidateFunction {
  const draft2020 =
    typeof schema === 'object' && schema !== null && String((schema as { $schema?: unknown }).$schema ?? '').includes('2020-12');
  // strict: false, because real-world schemas carry annotations (examples, x-*) that are not errors.
  const ajv = draft2020 ? new Ajv2020({ allErrors: true, strict: false }) : new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

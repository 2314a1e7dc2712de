import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { PROTOTYPE_KEYS } from './prototype-keys';

/** More unknown keys than this in one object are refused at once, without asking class-validator. */
export const MAX_UNKNOWN_KEYS = 10;

interface TypeStorage {
  findTypeMetadata(target: Function, property: string): { typeFunction: () => Function } | undefined;
}
// class-transformer keeps @Type() metadata in a storage its entry point does not export;
// @nestjs/mapped-types reads it the same way.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage: types } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TypeStorage };

interface Shape {
  known: ReadonlySet<string>;
  arrayMax: ReadonlyMap<string, number>;
  nested: ReadonlyMap<string, Function>;
}

const shapes = new Map<Function, Shape | null>();

/**
 * What a request DTO allows, read once from its class-validator and class-transformer
 * metadata: its property names, the @ArrayMaxSize of each array, the class of each nested value.
 */
function shapeOf(target: Function): Shape | null {
  if (shapes.has(target)) return shapes.get(target)!;
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
  const shape =
    metadatas.length === 0
      ? null
      : {
          known: new Set(metadatas.map((m) => m.propertyName)),
          arrayMax: new Map(metadatas.filter((m) => m.name === 'arrayMaxSize').map((m) => [m.propertyName, Number(m.constraints[0])])),
          nested: new Map(
            metadatas
              .filter((m) => m.type === ValidationTypes.NESTED_VALIDATION)
              .flatMap((m) => {
                const type = types.findTypeMetadata(target, m.propertyName);
                return type ? [[m.propertyName, type.typeFunction()] as const] : [];
              }),
          ),
        };
  shapes.set(target, shape);
  return shape;
}

/**
 * The violations that make a request too big to validate item by item (API.md, Limits: "an
 * array over its limit is refused by its length, not checked item by item"): arrays longer than
 * their @ArrayMaxSize, objects with more than MAX_UNKNOWN_KEYS unknown keys, and prototype keys
 * (which Nest's ValidationPipe would silently drop). Empty when class-validator may take over:
 * what it then walks is bounded by the DTO's own limits.
 */
export function oversizeViolations(target: Function, value: unknown, path = ''): string[] {
  const shape = shapeOf(target);
  if (!shape || value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const violations: string[] = [];
  const unknown: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (PROTOTYPE_KEYS.has(key)) return [`the key ${at} is not allowed`];
    if (!shape.known.has(key)) {
      unknown.push(at);
      continue;
    }
    const max = shape.arrayMax.get(key);
    if (max !== undefined && Array.isArray(item) && item.length > max) return [`${at} must contain no more than ${max} elements`];
    const nested = shape.nested.get(key);
    if (nested) {
      const items: [string, unknown][] = Array.isArray(item) ? item.map((v, i) => [`${at}.${i}`, v]) : [[at, item]];
      for (const [where, v] of items) violations.push(...oversizeViolations(nested, v, where));
    }
  }
  if (unknown.length > MAX_UNKNOWN_KEYS) return unknown.slice(0, MAX_UNKNOWN_KEYS).map((at) => `property ${at} should not exist`);
  return violations;
}

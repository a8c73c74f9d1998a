/**
 * Terraform references inside synthesized JSON: `${aws_x.name.attr}` as a whole value, and every `aws_x.name.attr`
 * inside an expression such as `${join(",", [aws_subnet.a.id, aws_subnet.b.id])}`. The one parser of them.
 */
import type { Resource, SynthesizedStack } from "./stacks";

/** One reference: `type.name.attribute`, or `data.type.name.attribute` for a data source. */
export interface Reference {
  readonly data: boolean;
  readonly type: string;
  readonly name: string;
  /** Attribute path, e.g. `id` or `domain_validation_options[0].resource_record_name`. */
  readonly attribute: string;
}

const TYPE = "aws_[a-z0-9_]+";
const NAME = "[A-Za-z0-9_-]+";
const ATTRIBUTE = "[a-z0-9_]+(?:\\[\\d+\\]|\\.[a-z0-9_]+)*";
const BODY = `(data\\.)?(${TYPE})\\.(${NAME})\\.(${ATTRIBUTE})`;
const EXPRESSION = new RegExp(`^${BODY}$`);
const IN_TEXT = new RegExp(`(?<![A-Za-z0-9_.])${BODY}`, "g");

function reference(match: RegExpExecArray | RegExpMatchArray): Reference {
  const [, data, type, name, attribute] = match;
  return { data: data !== undefined, type, name, attribute };
}

/** The reference an expression (the text between `${` and `}`) consists of; undefined for anything else. */
export function parseExpression(expression: string): Reference | undefined {
  const match = EXPRESSION.exec(expression);
  return match ? reference(match) : undefined;
}

/** The reference a whole `${...}` value is; undefined for literals and for function calls. */
export function parseReference(value: unknown): Reference | undefined {
  const match = typeof value === "string" ? /^\$\{([^{}]*)\}$/.exec(value) : null;
  return match ? parseExpression(match[1]) : undefined;
}

/** Every reference inside a value: a string, an expression, or any JSON (lists, blocks). */
export function referencesIn(value: unknown): Reference[] {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  return [...text.matchAll(IN_TEXT)].map(reference);
}

/** Logical name of the `type` resource a `${type.name.attr}` value points to; undefined for anything else. */
export function referencedName(value: unknown, type: string): string | undefined {
  const found = parseReference(value);
  return found && !found.data && found.type === type ? found.name : undefined;
}

/** Follows a `${type.name.attr}` value to the resource it names; throws for anything else or a missing resource. */
export function resolveRef(
  stack: SynthesizedStack,
  value: unknown,
): { type: string; name: string; resource: Resource } {
  const found = parseReference(value);
  if (!found || found.data) throw new Error(`not a resource reference: ${JSON.stringify(value)}`);
  const resource = stack.resource?.[found.type]?.[found.name];
  if (!resource) throw new Error(`reference to a missing resource: ${value}`);
  return { type: found.type, name: found.name, resource };
}

/** The `${type.name.attribute}` value other resources use to point at a resource. */
export function refOf(type: string, name: string, attribute: string): string {
  return `\${${type}.${name}.${attribute}}`;
}

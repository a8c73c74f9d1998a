/** Reads the `setting` blocks of a synthesized aws_elastic_beanstalk_environment: the one reader of them. */
import { Resource, asList } from "./stacks";

export interface EbSetting {
  namespace: string;
  name: string;
  value: string;
}

/** Every `setting` block of an environment resource. */
export function ebSettings(environment: Resource): EbSetting[] {
  return asList(environment.setting as EbSetting | EbSetting[] | undefined);
}

/**
 * The value of one option. Set twice always fails; missing fails too, unless the caller says what EB does then
 * (`whenUnset`: the option's documented default, e.g. MinSize 1).
 */
export function ebSetting(
  environment: Resource,
  namespace: string,
  name: string,
  whenUnset?: string,
): string {
  const matches = ebSettings(environment).filter((s) => s.namespace === namespace && s.name === name);
  if (matches.length === 0 && whenUnset !== undefined) return whenUnset;
  if (matches.length !== 1)
    throw new Error(`expected one ${namespace} ${name} setting, found ${matches.length}`);
  return matches[0].value;
}

/** All options of one namespace as name → value. */
export function ebNamespace(environment: Resource, namespace: string): Record<string, string> {
  return Object.fromEntries(
    ebSettings(environment)
      .filter((s) => s.namespace === namespace)
      .map((s) => [s.name, s.value]),
  );
}

/**
 * The boot script inside a launch template's `user_data`, as the EC2 compute synthesizes it
 * (constructs/compute/ec2/user-data.ts `userDataBase64`): `${base64encode(replace(...replace("SCRIPT", "MARKER",
 * ref)...))}`, the script an HCL string literal and each apply-time value a `replace()` of a marker by a reference.
 * Read back here as text with each marker turned into the `${ref}` it stands for, so the checks see the values the
 * instance gets.
 */

/** Reads one HCL quoted string at `start` (a `"`); returns its text and the index after the closing quote. */
function hclString(text: string, start: number): { value: string; end: number } {
  if (text[start] !== '"') throw new Error(`user data: no string literal at ${start}`);
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  if (i >= text.length) throw new Error("user data: unterminated string literal");
  // HCL's escapes in a quoted string are JSON's (\n \t \" \\ \uNNNN), plus $${ and %%{ for a literal ${ and %{.
  const value = (JSON.parse(text.slice(start, i + 1)) as string)
    .replace(/\$\$\{/g, "${")
    .replace(/%%\{/g, "%{");
  return { value, end: i + 1 };
}

/** The boot script of a `user_data` value, apply-time references written as `${ref}`; throws on another shape. */
export function bootScriptOf(userData: unknown): string {
  const outer = typeof userData === "string" ? /^\$\{base64encode\((.*)\)\}$/s.exec(userData) : null;
  if (!outer) throw new Error("user data is not ${base64encode(...)} of the boot script");
  const expression = outer[1];
  const replaces = /^(?:replace\()*/.exec(expression)![0].length / "replace(".length;
  let { value: script, end } = hclString(expression, replaces * "replace(".length);
  for (let n = 0; n < replaces; n++) {
    const marker = /^\s*,\s*("(?:[^"\\]|\\.)*")\s*,\s*/.exec(expression.slice(end));
    if (!marker) throw new Error('user data: a replace() that is not (script, "marker", value)');
    end += marker[0].length;
    // The value: a bare reference (`aws_kms_key.x.arn`) or a template string (`"name-${data.x.account_id}"`).
    let value: string;
    if (expression[end] === '"') {
      const literal = hclString(expression, end);
      value = literal.value;
      end = literal.end;
    } else {
      const reference = /^[A-Za-z0-9_.-]+/.exec(expression.slice(end));
      if (!reference)
        throw new Error("user data: a replace() value that is neither a reference nor a string");
      value = `\${${reference[0]}}`;
      end += reference[0].length;
    }
    const close = /^\s*\)/.exec(expression.slice(end));
    if (!close) throw new Error("user data: an unclosed replace()");
    end += close[0].length;
    script = script.split(JSON.parse(marker[1]) as string).join(value);
  }
  if (end !== expression.length) throw new Error("user data: unexpected text after the boot script");
  return script;
}

/** The lines of a heredoc `<< 'NAME'` in a script; throws when it is missing. */
export function heredoc(script: string, name: string): string[] {
  const lines = script.split("\n");
  const start = lines.findIndex((line) => line.endsWith(`<< '${name}'`));
  const end = lines.indexOf(name, start + 1);
  if (start < 0 || end < 0) throw new Error(`boot script has no heredoc ${name}`);
  return lines.slice(start + 1, end);
}

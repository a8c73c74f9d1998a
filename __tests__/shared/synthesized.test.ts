/** The one reader of synthesized JSON: references are parsed the same way wherever they appear. */
import {
  parseExpression,
  parseReference,
  referencedName,
  referencesIn,
  resolveRef,
} from "../../shared/synthesized";

const stack = { resource: { aws_subnet: { "instance-0": { cidr_block: "10.0.128.0/19" } } } };

test("a whole `${...}` value is one reference, with its data-source flag and attribute path", () => {
  expect(parseReference("${aws_subnet.instance-0.id}")).toEqual({
    data: false,
    type: "aws_subnet",
    name: "instance-0",
    attribute: "id",
  });
  expect(parseReference("${data.aws_caller_identity.current.account_id}")).toMatchObject({
    data: true,
    type: "aws_caller_identity",
  });
  expect(
    parseReference("${aws_acm_certificate.cert.domain_validation_options[0].resource_record_name}"),
  ).toMatchObject({ attribute: "domain_validation_options[0].resource_record_name" });
  for (const notOne of ["subnet-0abc", '${join(",", [aws_subnet.a.id])}', "x${aws_subnet.a.id}", 42])
    expect({ notOne, parsed: parseReference(notOne) }).toEqual({ notOne, parsed: undefined });
  expect(parseExpression("aws_kms_key.data.arn")).toMatchObject({ type: "aws_kms_key", name: "data" });
  expect(parseExpression("var.region")).toBeUndefined();
});

test("every reference inside an expression or any JSON value", () => {
  const join = '${join(",", [aws_subnet.instance-0.id, aws_subnet.instance-1.id])}';
  expect(referencesIn(join).map((r) => r.name)).toEqual(["instance-0", "instance-1"]);
  expect(referencesIn(["${aws_subnet.a.id}", { x: "${data.aws_region.current.name}" }])).toEqual([
    { data: false, type: "aws_subnet", name: "a", attribute: "id" },
    { data: true, type: "aws_region", name: "current", attribute: "name" },
  ]);
  expect(referencesIn("subnet-0abc,subnet-0def")).toEqual([]);
});

test("referencedName answers only for the asked type; resolveRef fails on anything it cannot follow", () => {
  expect(referencedName("${aws_subnet.instance-0.id}", "aws_subnet")).toBe("instance-0");
  expect(referencedName("${aws_subnet.instance-0.id}", "aws_vpc")).toBeUndefined();
  expect(referencedName("${data.aws_subnet.x.id}", "aws_subnet")).toBeUndefined();
  expect(resolveRef(stack, "${aws_subnet.instance-0.id}")).toMatchObject({ name: "instance-0" });
  expect(() => resolveRef(stack, "${aws_subnet.gone.id}")).toThrow(/missing resource/);
  expect(() => resolveRef(stack, "subnet-0abc")).toThrow(/not a resource reference/);
});

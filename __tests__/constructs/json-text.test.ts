import * as os from "os";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { jsonText } from "../../constructs/json-text";

function stackWithDashboard(app: App): TerraformStack {
  const stack = new TerraformStack(app, "dashboard");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const topic = new SnsTopic(stack, "topic", { name: "alarms" });
  const widgets = [{ type: "alarm", properties: { alarms: [topic.arn] } }];
  new CloudwatchDashboard(stack, "board", { dashboardName: "board", dashboardBody: jsonText({ widgets }) });
  widgets.push({ type: "text", properties: { alarms: [] } });
  return stack;
}

describe("jsonText", () => {
  test("the synthesized JSON carries readable JSON text, as it was when jsonText was called", () => {
    const board = JSON.parse(Testing.synth(stackWithDashboard(Testing.app()))).resource
      .aws_cloudwatch_dashboard.board;
    expect(JSON.parse(board.dashboard_body)).toEqual({
      widgets: [{ type: "alarm", properties: { alarms: ["${aws_sns_topic.topic.arn}"] } }],
    });
  });

  test("the HCL export gets jsonencode of the same value: a JSON string holding references is not valid HCL", () => {
    const outdir = path.join(os.tmpdir(), "json-text-hcl");
    const app = new App({ hclOutput: true, skipValidation: true, outdir });
    const hcl = stackWithDashboard(app).toHclTerraform().hcl as string;
    const line = hcl.split("\n").find((l) => l.includes("dashboard_body"));
    expect(line).toContain('"${jsonencode({"widgets" = [{');
    expect(line).toContain('"alarms" = [aws_sns_topic.topic.arn]');
  });
});

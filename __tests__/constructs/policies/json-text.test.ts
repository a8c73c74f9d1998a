import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { jsonText } from "../../../constructs/policies/json-text";
import { hclOfConstruct, onlyResource, synthConstruct } from "../../../test-support/synth";

function dashboard(scope: Construct): void {
  new AwsProvider(scope, "aws", { region: "eu-west-1" });
  const topic = new SnsTopic(scope, "topic", { name: "alarms" });
  const widgets = [{ type: "alarm", properties: { alarms: [topic.arn] } }];
  new CloudwatchDashboard(scope, "board", { dashboardName: "board", dashboardBody: jsonText({ widgets }) });
  widgets.push({ type: "text", properties: { alarms: [] } });
}

describe("jsonText", () => {
  test("the synthesized JSON carries readable JSON text, as it was when jsonText was called", () => {
    const board = onlyResource(synthConstruct(dashboard), "aws_cloudwatch_dashboard");
    expect(JSON.parse(board.dashboard_body as string)).toEqual({
      widgets: [{ type: "alarm", properties: { alarms: ["${aws_sns_topic.topic.arn}"] } }],
    });
  });

  test("the HCL export gets jsonencode of the same value: a JSON string holding references is not valid HCL", () => {
    const body = /dashboard_body = ("[^\n]*?\)\}")/.exec(hclOfConstruct(dashboard))?.[1];
    expect(body).toContain('"${jsonencode({"widgets" = [{');
    expect(body).toContain('"alarms" = [aws_sns_topic.topic.arn]');
  });
});

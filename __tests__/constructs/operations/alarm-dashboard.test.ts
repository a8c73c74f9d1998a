import { AlarmDashboard } from "../../../constructs/operations/alarm-dashboard";
import { onlyResource, synthConstruct } from "../../../test-support/synth";

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: {
    region?: string;
    alarms?: string[];
    annotations?: { alarms: string[] };
    metrics?: string[][];
  };
}

describe("AlarmDashboard", () => {
  const stack = synthConstruct((scope) => {
    new AlarmDashboard(scope, "dashboard", {
      name: "imageshare-dev",
      region: "eu-west-1",
      alarms: ["a", "b", "c", "d"].map((n) => ({
        title: n,
        alarmArn: `arn:aws:cloudwatch:eu-west-1:1:alarm:${n}`,
      })),
      metrics: [
        { title: "refused", namespace: "ns/app", metricName: "UploadsRefused", stat: "Sum", period: 300 },
      ],
    });
  });
  const dashboard = onlyResource(stack, "aws_cloudwatch_dashboard");
  const widgets = JSON.parse(dashboard.dashboard_body as string).widgets as Widget[];

  test("a status row with every alarm, then one graph per alarm with its threshold, then the extra metrics", () => {
    expect(dashboard.dashboard_name).toBe("imageshare-dev");
    expect(widgets[0]).toMatchObject({ type: "alarm", properties: { alarms: expect.any(Array) } });
    expect(widgets[0].properties.alarms).toHaveLength(4);
    const graphs = widgets.slice(1);
    expect(graphs.map((w) => w.properties.annotations?.alarms?.[0] ?? w.properties.metrics?.[0][1])).toEqual([
      ...["a", "b", "c", "d"].map((n) => `arn:aws:cloudwatch:eu-west-1:1:alarm:${n}`),
      "UploadsRefused",
    ]);
    for (const g of graphs) expect(g.properties.region).toBe("eu-west-1");
  });

  test("graphs sit side by side on the 24-column grid without overlapping", () => {
    const cells = new Set<string>();
    for (const w of widgets) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
      for (let x = w.x; x < w.x + w.width; x++)
        for (let y = w.y; y < w.y + w.height; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
    expect(new Set(widgets.slice(1, 4).map((w) => w.y)).size).toBe(1);
  });
});

import { jsonText } from "../policies/json-text";
import { Construct } from "constructs";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";

/** A graph of one alarm's metric with its threshold. */
export interface DashboardAlarm {
  readonly title: string;
  readonly alarmArn: string;
}

/** A graph of a metric that has no alarm (context next to the alarmed ones). */
export interface DashboardMetric {
  readonly title: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly stat: string;
  /** Seconds per data point. */
  readonly period: number;
}

export interface AlarmDashboardProps {
  readonly name: string;
  /** Region of the metrics (a metric widget needs it). */
  readonly region: string;
  readonly alarms: readonly DashboardAlarm[];
  /** @default none */
  readonly metrics?: readonly DashboardMetric[];
}

const WIDTH = 8;
const HEIGHT = 6;
const COLUMNS = 24 / WIDTH;

/**
 * One dashboard: the alarms' states in a row, then each alarmed metric graphed with its threshold (a metric widget
 * whose `annotations.alarms` names the alarm), side by side. Body format: "Dashboard body structure and syntax",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
export class AlarmDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: AlarmDashboardProps) {
    super(scope, id);
    const graphs = [
      ...props.alarms.map((a) => ({
        type: "metric",
        properties: {
          title: a.title,
          region: props.region,
          view: "timeSeries",
          annotations: { alarms: [a.alarmArn] },
        },
      })),
      ...(props.metrics ?? []).map((m) => ({
        type: "metric",
        properties: {
          title: m.title,
          region: props.region,
          view: "timeSeries",
          stat: m.stat,
          period: m.period,
          metrics: [[m.namespace, m.metricName]],
        },
      })),
    ];
    const widgets = [
      {
        type: "alarm",
        x: 0,
        y: 0,
        width: 24,
        height: 3,
        properties: { title: "Alarms", alarms: props.alarms.map((a) => a.alarmArn) },
      },
      ...graphs.map((g, i) => ({
        ...g,
        x: (i % COLUMNS) * WIDTH,
        y: 3 + Math.floor(i / COLUMNS) * HEIGHT,
        width: WIDTH,
        height: HEIGHT,
      })),
    ];
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.name,
      dashboardBody: jsonText({ widgets }),
    });
  }
}

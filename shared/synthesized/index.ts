/**
 * The one reader of synthesized Terraform JSON, for the project tools and the tests alike: the stacks `cdktf synth`
 * wrote, the resources inside one stack, references (references.ts), Elastic Beanstalk settings (eb-settings.ts),
 * routes and NACLs (routes.ts), policies. Plain JSON only (no cdktf, no app code), so the tools start fast.
 */
export * from "./stacks";
export * from "./references";
export * from "./eb-settings";
export * from "./routes";
export * from "./compute";
export * from "./user-data";

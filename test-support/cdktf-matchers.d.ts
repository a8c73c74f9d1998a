// Brings the cdktf jest matchers (toHaveResourceWithProperties...) into the type checker; setup.js registers them.
import "cdktf/lib/testing/adapters/jest";

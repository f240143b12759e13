// elenik-webhooks/testing for the runtimes index.node.js serves: the package is loaded first.
import './index.node.js';
export * from './testing.js';

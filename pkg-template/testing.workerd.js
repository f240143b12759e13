// elenik-webhooks/testing for the runtimes index.workerd.js serves: the package is loaded first.
import './index.workerd.js';
export * from './testing.js';

// elenik-webhooks/testing for the runtimes index.browser.js serves: the package is loaded first.
import './index.browser.js';
export * from './testing.js';

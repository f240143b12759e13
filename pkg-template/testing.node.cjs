// CommonJS entry of elenik-webhooks/testing (Node.js 20.19+ and 22.12+ require ES modules).
module.exports = require('./testing.node.js');

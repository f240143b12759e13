// CommonJS entry: Node.js 20.19+ and 22.12+ `require` the ES module synchronously, so `require`
// and `import` share one instance (one Wasm, one error class).
module.exports = require('./index.node.js');

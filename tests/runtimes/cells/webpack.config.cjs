// webpack 5 bundling the matrix cell for the browser (production mode, default web target).
'use strict';
const path = require('node:path');

module.exports = {
  mode: 'production',
  entry: './cell.mjs',
  output: { path: path.resolve(__dirname, 'dist-webpack'), filename: 'bundle.js', clean: true },
  performance: { hints: false },
};

'use strict';
// require('durable-graph'): the ES module entry point, loaded through Node's require() of ES modules (see load.cjs).
module.exports = require('./load.cjs')(() => require('../dist/index.js'), 'durable-graph');
